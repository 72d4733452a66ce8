/**
 * Our own hex digests (`card_hash`, the keyed HMAC of a card; `content_hash`, SHA-256 of a row) are
 * not card data, but a run of their digits can pass the Luhn check by chance, and the card-number
 * detector does not let letters shield digits ("tx4111…"). Scans of stored items leave them out.
 */
const DIGEST_KEYS = new Set(['card_hash', 'content_hash']);

/** `value` as JSON without its digest attributes (plain items and DynamoDB images alike). */
export function jsonWithoutDigests(value: unknown): string {
  return JSON.stringify(value, (key: string, v: unknown) => (DIGEST_KEYS.has(key) ? undefined : v));
}
