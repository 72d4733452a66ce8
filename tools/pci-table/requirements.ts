/**
 * The PCI DSS v4.0.1 requirements this stack touches, in our words (not the standard's text): every
 * requirement a policy of the pack maps to, and those that code, tests or the account meet instead,
 * with where. tests/policies/security-controls.test.ts fails when a policy maps to a requirement
 * missing here, or when a requirement has neither a policy nor a note.
 */
export interface Requirement {
  readonly id: string;
  readonly topic: string;
  /** How it is met where no policy of the pack checks it (or checks only part of it). */
  readonly otherwise?: string;
}

export const REQUIREMENTS: readonly Requirement[] = [
  { id: '1.2.4', topic: 'data flows are known' },
  { id: '1.3.1', topic: 'inbound access to cardholder data is restricted' },
  { id: '2.2.1', topic: 'components are configured to a standard' },
  { id: '2.2.4', topic: 'only needed functions are enabled' },
  { id: '3.2.1', topic: 'account data is kept no longer than needed' },
  {
    id: '3.3.1',
    topic: 'sensitive authentication data is not kept',
    otherwise:
      'the validator refuses a file with a CVV, track or PIN column whole (`SENSITIVE_DATA`); tests/lambda/validator',
  },
  {
    id: '3.4.1',
    topic: 'PAN is masked when displayed',
    otherwise: 'API answers and alerts show `**** 1234`; tests/lambda, tests/e2e',
  },
  {
    id: '3.5.1',
    topic: 'stored PAN is unreadable',
    otherwise:
      'only the last four digits and an HMAC-SHA-256 of the number are stored (lambda/shared/card-number); property tests that no full number reaches any output',
  },
  { id: '3.6.1', topic: 'keys protecting account data are protected, with the fewest custodians' },
  {
    id: '3.7.1',
    topic: 'keys are generated strong',
    otherwise: 'the HMAC key is `random.RandomPassword`, 64 characters; tests/stack',
  },
  { id: '3.7.3', topic: 'keys are stored securely' },
  { id: '3.7.4', topic: 'keys change at the end of their cryptoperiod' },
  { id: '3.7.5', topic: 'keys are retired or replaced' },
  { id: '4.2.1', topic: 'PAN is sent only over strong cryptography' },
  {
    id: '6.2.4',
    topic: 'software resists common attacks (injection)',
    otherwise:
      'the CSV contract is validated field by field and rejects-file values that start a formula are neutralised; tests/lambda/validator',
  },
  { id: '6.3.3', topic: 'components run supported versions' },
  { id: '6.4.1', topic: 'public-facing applications are protected' },
  { id: '7.2.1', topic: 'access is defined by an access model' },
  { id: '7.2.2', topic: 'access is granted by least privilege' },
  { id: '7.2.5', topic: 'system and application accounts hold least privilege' },
  { id: '8.2.1', topic: 'every caller has a unique identity' },
  { id: '10.2.1', topic: 'audit logs are enabled' },
  { id: '10.2.1.1', topic: 'every access to cardholder data is logged' },
  {
    id: '10.2.1.2',
    topic: 'administrative actions are logged',
    otherwise:
      "outside the stack: the account's CloudTrail management events (every `pulumi up`, key and IAM change)",
  },
  { id: '10.2.2', topic: 'audit records carry the required details' },
  { id: '10.3.2', topic: 'audit records are protected from modification' },
  { id: '10.3.3', topic: 'audit records are backed up' },
  { id: '10.3.4', topic: 'changes to audit records are detected' },
  { id: '10.4.1', topic: 'security events are reviewed' },
  { id: '10.5.1', topic: 'audit logs are kept 12 months' },
  { id: '10.7.2', topic: 'failures of security controls are detected' },
  { id: '10.7.3', topic: 'failures of security controls are responded to promptly' },
  { id: '12.5.1', topic: 'components are inventoried' },
  { id: '12.5.2', topic: 'the scope is documented' },
  { id: '12.10.1', topic: 'incidents are responded to' },
  { id: '12.10.5', topic: 'security alerts reach the responders' },
];
