import { resourcePolicy } from '../lib/define';
import { parsePolicyDocument, type Statement } from '../lib/iam-document';

/** Deny s3:* to everyone when aws:SecureTransport is false, on the bucket and its objects. */
function deniesInsecureTransport(s: Statement): boolean {
  const everyone = s.principals.some((p) => p === '*:*' || p === 'AWS:*');
  const allS3 = s.actions.some((a) => a === '*' || a.toLowerCase() === 's3:*');
  const bool = Object.entries(s.condition).find(([op]) => op === 'Bool')?.[1] ?? {};
  const insecure = Object.entries(bool).some(
    ([key, value]) => key.toLowerCase() === 'aws:securetransport' && String(value).toLowerCase() === 'false',
  );
  const bucket = s.resources.some((r) => /^arn:[^:]+:s3:::[^/]+$/.test(r));
  const objects = s.resources.some((r) => /^arn:[^:]+:s3:::[^/]+\/\*$/.test(r));
  return s.effect === 'Deny' && everyone && allS3 && insecure && bucket && objects;
}

export const s3TlsOnly = resourcePolicy<{ policy?: unknown }>(
  {
    id: 's3-tls-only',
    displayName: 'S3 bucket policies refuse requests without TLS',
    description:
      'Every S3 bucket policy must deny all S3 actions, for every principal, on the bucket and its objects, when aws:SecureTransport is false. Card data must only travel encrypted.',
    enforcementLevel: 'mandatory',
    severity: 'high',
    controls: { pciDss: ['4.2.1'], fsbp: ['S3.5'], cis: ['2.1.1'] },
    remediationSteps:
      'Add to the aws.s3.BucketPolicy a statement `{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [bucketArn, `${bucketArn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } }`.',
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html#transit',
  },
  ['aws:s3/bucketPolicy:BucketPolicy'],
  ({ props, report }) => {
    // Reading `policy` through the proxy: if it is unknown at preview the engine reports this policy
    // as not evaluated (advisory) rather than passing it blindly.
    const parsed = parsePolicyDocument(props.policy);
    if (!parsed.ok) {
      report(`the bucket policy should be a valid policy document; found that ${parsed.error}.`);
      return;
    }
    if (!parsed.statements.some(deniesInsecureTransport)) {
      report(
        'the bucket policy should deny s3:* to "*" on the bucket and its objects when aws:SecureTransport is "false"; found no such statement.',
      );
    }
  },
);
