/** Tags every taggable resource carries (explicitly, and through the provider's defaultTags). */
export const REQUIRED_TAGS = {
  Environment: 'production',
  Project: 'transaction-processor',
} as const;

/** The required tags plus a resource-specific `Name`; callers never drop the required ones. */
export function tagsFor(name: string): Record<string, string> {
  return { ...REQUIRED_TAGS, Name: name };
}
