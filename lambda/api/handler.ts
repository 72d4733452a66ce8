// Placeholder entry so the stack can bundle it; replaced by the real handler (issue 4).
export const handler = async (): Promise<void> => undefined;
