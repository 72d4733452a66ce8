import { resourcePolicy } from '../lib/define';
import { parsePolicyDocument, statementLabel, type Statement } from '../lib/iam-document';
import { peek } from '../lib/unknown';
import { asArray } from '../lib/values';

interface Config {
  /** Services through which a key may be used to decrypt (`kms:ViaService` prefixes). */
  viaServices: string[];
}

/**
 * Actions that yield plaintext or let someone else get it: Decrypt itself, ReEncryptFrom (decrypts
 * inside KMS), and CreateGrant (hands any operation to another principal).
 */
const DECRYPTING = ['kms:decrypt', 'kms:reencryptfrom', 'kms:creategrant'];

/** Whether an action pattern (`kms:*`, `kms:Re*`, `*`) covers one of the decrypting actions. */
function decrypts(pattern: string): boolean {
  const re = new RegExp(
    `^${pattern
      .toLowerCase()
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return DECRYPTING.some((a) => re.test(a));
}

/** The values a statement pins `kms:ViaService` to with StringEquals or StringLike. */
function viaServices(statement: Statement): string[] {
  return ['StringEquals', 'StringLike', 'ForAnyValue:StringEquals'].flatMap((operator) => {
    const byKey = statement.condition[operator] ?? {};
    const key = Object.keys(byKey).find((k) => k.toLowerCase() === 'kms:viaservice');
    return key ? asArray<string>(byKey[key]).map(String) : [];
  });
}

/** Only AWS service principals, held to this account by aws:SourceAccount or aws:SourceArn. */
function actsForThisAccountOnly(st: Statement): boolean {
  return (
    !st.hasNotPrincipal &&
    st.principals.length > 0 &&
    st.principals.every((p) => /^Service:[a-z0-9.-]+\.amazonaws\.com$/.test(p)) &&
    (st.conditionKeys.includes('aws:sourceaccount') || st.conditionKeys.includes('aws:sourcearn'))
  );
}

/** `*`, an account (`123456789012` or `…:root`), or anything other than one named principal. */
function wholeAccountOrAnyone(principal: string): boolean {
  return (
    principal === '*:*' || principal === 'AWS:*' || /^AWS:(\d{12}|arn:aws:iam::\d{12}:root)$/.test(principal)
  );
}

export const kmsKeyDecryptScoped = resourcePolicy<{ policy?: string }, Config>(
  {
    id: 'kms-key-decrypt-scoped',
    displayName: 'Customer-managed keys decrypt only for named principals, through their service',
    description:
      'Every customer-managed KMS key must have a key policy in which each statement that can decrypt names its principals and pins kms:ViaService to an allowed service (default Secrets Manager), or names only AWS services held to this account by aws:SourceAccount or aws:SourceArn. Decrypting means kms:Decrypt, kms:ReEncryptFrom or kms:CreateGrant; a principal is named when it is neither "*" nor a whole account left unnarrowed by an aws:PrincipalArn condition. Without a key policy, or with the account-wide default, any IAM policy in the account could grant decryption.',
    enforcementLevel: 'mandatory',
    severity: 'critical',
    controls: { pciDss: ['3.6.1', '7.2.1', '7.2.2'] },
    remediationSteps:
      'Give the aws.kms.Key a `policy` whose account statement allows only administrative actions, and grant kms:Decrypt to the reading role by its ARN with `Condition: { StringEquals: { "kms:ViaService": "secretsmanager.<region>.amazonaws.com" } }`.',
    url: 'https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service',
    config: {
      viaServices: { type: 'array', items: { type: 'string' }, default: ['secretsmanager'] },
    },
  },
  ['aws:kms/key:Key'],
  ({ props, config, report }) => {
    // The policy is built from names, the region and the caller's identity: known at preview.
    if (peek(props, 'policy').state === 'absent') {
      report(
        'policy should be a key policy that scopes decryption; found not set (AWS then lets every IAM policy of the account grant it).',
      );
      return;
    }
    const parsed = parsePolicyDocument(props.policy);
    if (!parsed.ok) {
      report(`policy should be a valid key policy; found ${parsed.error}.`);
      return;
    }
    const allowed = config.viaServices.map((s) => new RegExp(`^${s}\\.[a-z0-9-]+\\.amazonaws\\.com$`));
    parsed.statements.forEach((st, i) => {
      if (st.effect !== 'Allow') return;
      const grants = st.notActions.length > 0 || st.actions.some(decrypts);
      if (!grants) return;
      const label = statementLabel(st, i);
      const broad = st.hasNotPrincipal || st.principals.some(wholeAccountOrAnyone);
      if (broad && !st.conditionKeys.includes('aws:principalarn')) {
        report(
          `${label} should name the principals that may decrypt (or narrow the account with aws:PrincipalArn); found ${JSON.stringify(st.principals)}.`,
        );
      }
      // A service acting for this account (CloudWatch publishing an alarm to an encrypted topic)
      // calls KMS itself, so kms:ViaService does not apply; the confused-deputy condition scopes it.
      if (actsForThisAccountOnly(st)) return;
      const via = viaServices(st);
      if (via.length === 0 || !via.every((v) => allowed.some((re) => re.test(v)))) {
        report(
          `${label} should allow decryption only through ${config.viaServices.join(', ')} (kms:ViaService); found ${via.length ? JSON.stringify(via) : 'no kms:ViaService condition'}.`,
        );
      }
    });
  },
);
