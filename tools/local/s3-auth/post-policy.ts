/**
 * What S3 checks on a browser-style POST upload before it stores anything, for the local S3
 * (s3rver implements neither SigV4 nor POST policies): the policy's SigV4 signature, its
 * expiration, and that every condition holds and every form field is covered by one.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-authentication-HTTPPOST.html
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** A refusal as S3 words it: HTTP status, S3 error code and message. */
export interface PostRefusal {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

export interface PostUpload {
  readonly bucket: string;
  /** Form fields as sent (names as sent; S3 compares names case-insensitively). */
  readonly fields: Readonly<Record<string, string>>;
  readonly fileBytes: number;
  readonly now: Date;
}

type Condition = Record<string, string> | [string, string, string] | ['content-length-range', number, number];

const refuse = (status: number, code: string, message: string): PostRefusal => ({ status, code, message });
const accessDenied = (message: string) => refuse(403, 'AccessDenied', message);

/** Fields S3 never asks a condition for. */
const UNCONDITIONED = new Set(['x-amz-signature', 'file', 'policy']);

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** The SigV4 signing key of a date, region and service. */
export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

/** The form's value of a condition's `$name` ("bucket" comes from the URL, not the form). */
function valueOf(name: string, upload: PostUpload, lowerFields: Map<string, string>): string | undefined {
  return name === 'bucket' ? upload.bucket : lowerFields.get(name);
}

function checkCondition(
  condition: Condition,
  upload: PostUpload,
  lowerFields: Map<string, string>,
): string | undefined {
  if (!Array.isArray(condition)) {
    const [[name, expected]] = Object.entries(condition);
    const actual = valueOf(name.toLowerCase(), upload, lowerFields);
    return actual === expected
      ? undefined
      : `Invalid according to Policy: Policy Condition failed: ["eq", "$${name}", "${expected}"]`;
  }
  const [operator, subject, operand] = condition;
  if (operator === 'content-length-range') {
    const [min, max] = [Number(subject), Number(operand)];
    if (upload.fileBytes > max) return 'EntityTooLarge';
    if (upload.fileBytes < min) return 'EntityTooSmall';
    return undefined;
  }
  const name = String(subject).replace(/^\$/, '').toLowerCase();
  const actual = valueOf(name, upload, lowerFields) ?? '';
  const holds =
    operator.toLowerCase() === 'eq'
      ? actual === operand
      : operator.toLowerCase() === 'starts-with' && actual.startsWith(String(operand));
  return holds
    ? undefined
    : `Invalid according to Policy: Policy Condition failed: ["${operator}", "${subject}", "${operand}"]`;
}

/** The condition's field name, for the "every field has a condition" rule. */
function conditionField(condition: Condition): string | undefined {
  if (!Array.isArray(condition)) return Object.keys(condition)[0]?.toLowerCase();
  return condition[0] === 'content-length-range'
    ? undefined
    : String(condition[1]).replace(/^\$/, '').toLowerCase();
}

/** Why S3 would refuse this POST upload, or undefined when it would store it. */
export function checkPostUpload(
  upload: PostUpload,
  secretOf: (accessKeyId: string) => string | undefined,
): PostRefusal | undefined {
  const lowerFields = new Map(Object.entries(upload.fields).map(([k, v]) => [k.toLowerCase(), v]));
  const policyText = lowerFields.get('policy');
  const signature = lowerFields.get('x-amz-signature');
  const credential = lowerFields.get('x-amz-credential');
  if (policyText === undefined || signature === undefined || credential === undefined) {
    return accessDenied('Bucket POST must contain a policy, x-amz-credential and x-amz-signature.');
  }
  if (lowerFields.get('x-amz-algorithm') !== 'AWS4-HMAC-SHA256') {
    return refuse(400, 'InvalidArgument', 'x-amz-algorithm must be AWS4-HMAC-SHA256.');
  }
  const [accessKeyId, date, region, service, terminator] = credential.split('/');
  const secret = accessKeyId === undefined ? undefined : secretOf(accessKeyId);
  if (secret === undefined || !date || !region || service !== 's3' || terminator !== 'aws4_request') {
    return refuse(
      403,
      'InvalidAccessKeyId',
      'The AWS Access Key Id you provided does not exist in our records.',
    );
  }
  const expected = createHmac('sha256', signingKey(secret, date, region, service))
    .update(policyText)
    .digest('hex');
  if (!sameHex(signature, expected)) {
    return refuse(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided.',
    );
  }
  let policy: { expiration?: string; conditions?: Condition[] };
  try {
    policy = JSON.parse(Buffer.from(policyText, 'base64').toString('utf8')) as typeof policy;
  } catch {
    return refuse(400, 'InvalidPolicyDocument', 'Invalid Policy: Invalid JSON.');
  }
  const expiration = Date.parse(policy.expiration ?? '');
  if (!Number.isFinite(expiration) || expiration <= upload.now.getTime()) {
    return accessDenied('Invalid according to Policy: Policy expired.');
  }
  const conditions = policy.conditions ?? [];
  for (const condition of conditions) {
    const failure = checkCondition(condition, upload, lowerFields);
    if (failure === 'EntityTooLarge')
      return refuse(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size.');
    if (failure === 'EntityTooSmall')
      return refuse(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size.');
    if (failure !== undefined) return accessDenied(failure);
  }
  const covered = new Set(conditions.map(conditionField));
  for (const name of lowerFields.keys()) {
    if (UNCONDITIONED.has(name) || name.startsWith('x-ignore-') || covered.has(name)) continue;
    return accessDenied(`Invalid according to Policy: Extra input fields: ${name}`);
  }
  return undefined;
}
