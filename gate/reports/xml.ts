/**
 * The one XML escaper: text and double-quoted attribute values of the JUnit report, and the local
 * SNS stand-in's Query-protocol answers. XML 1.0 forbids most control characters, so they are dropped.
 */

// eslint-disable-next-line no-control-regex -- the characters escapeXml replaces or drops
const NEEDS_ESCAPE = /[&<>"\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

export function escapeXml(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return s; // most URNs and names: nothing to do
  return (
    s
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      // eslint-disable-next-line no-control-regex -- XML 1.0 forbids these characters, so drop them
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
  );
}
