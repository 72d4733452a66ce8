import { resourcePolicy } from '../lib/define';
import { actionFacts, IAM_DATA_SOURCE } from '../lib/iam-actions';
import { isWildcardResource, parsePolicyDocument, statementLabel, type Statement } from '../lib/iam-document';
import { asArray, type Props } from '../lib/values';

const ROLE = 'aws:iam/role:Role';
const POLICY_TYPES = [
  'aws:iam/rolePolicy:RolePolicy',
  'aws:iam/policy:Policy',
  'aws:iam/userPolicy:UserPolicy',
  'aws:iam/groupPolicy:GroupPolicy',
  ROLE,
];

/** Findings for one Allow statement: exact, existing actions on exact resources. */
async function checkStatement(s: Statement, label: string): Promise<string[]> {
  const findings: string[] = [];
  if (s.notActions.length)
    findings.push(`${label} should list Action, not NotAction; found NotAction with Allow.`);
  if (s.notResources.length)
    findings.push(`${label} should list Resource, not NotResource; found NotResource with Allow.`);
  if (s.hasNotPrincipal) findings.push(`${label} should not use NotPrincipal with Allow; found it.`);
  const notWildcardOnly: string[] = [];
  for (const action of s.actions) {
    if (/[*?]/.test(action)) {
      findings.push(`${label} should grant exact actions; found wildcard action "${action}".`);
      continue;
    }
    const facts = await actionFacts(action);
    if (facts.kind === 'exists') {
      if (!facts.wildcardOnly) notWildcardOnly.push(facts.canonical);
    } else {
      const why =
        facts.kind === 'unknown-service' ? `service "${facts.service}" does not exist` : 'it does not exist';
      findings.push(`${label} should grant actions that exist; found "${action}" (${why} in the IAM data).`);
    }
  }
  const wildcards = s.resources.filter(isWildcardResource);
  if (wildcards.length && notWildcardOnly.length) {
    const passRole = notWildcardOnly.some((a) => a === 'iam:PassRole');
    findings.push(
      `${label} should scope ${notWildcardOnly.join(', ')} to exact ARNs; found Resource ${wildcards
        .map((r) => `"${r}"`)
        .join(', ')}` +
        (passRole ? ' (iam:PassRole on * lets the holder hand any role to a service).' : '.') +
        ' Only actions without resource-level permissions may use "*".',
    );
  }
  return findings;
}

export const iamLeastPrivilege = resourcePolicy<Props>(
  {
    id: 'iam-least-privilege',
    displayName: 'IAM policies grant exact actions on exact resources',
    description:
      'Every IAM policy document (inline role policies, standalone, user and group policies) must allow only exact, existing actions on exact resource ARNs. Wildcard actions, NotAction, NotResource and NotPrincipal with Allow, and Resource "*" are refused, except "*" for actions that AWS grants only on "*", such as xray:PutTraceSegments and dynamodb:ListStreams. Actions are checked against ' +
      IAM_DATA_SOURCE +
      '.',
    enforcementLevel: 'mandatory',
    severity: 'critical',
    controls: { pciDss: ['7.2.1', '7.2.2', '7.2.5'], fsbp: ['IAM.1', 'IAM.21'], cis: ['1.16'] },
    remediationSteps:
      'List each action the function calls (e.g. dynamodb:PutItem) and the exact ARN it calls it on (e.g. the table ARN built from its name, region and account). Use "*" only for actions the Service Authorization Reference lists with no resource type.',
    url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege',
  },
  POLICY_TYPES,
  async ({ props, type, report }) => {
    const documents =
      type === ROLE
        ? asArray<Props>(props.inlinePolicies).map((p, i) => ({
            where: `inlinePolicies[${i}]`,
            policy: p.policy,
          }))
        : [{ where: 'policy', policy: props.policy }];
    for (const { where, policy } of documents) {
      const parsed = parsePolicyDocument(policy);
      if (!parsed.ok) {
        report(`${where} should be a valid policy document; found that ${parsed.error}.`);
        continue;
      }
      for (const [index, statement] of parsed.statements.entries()) {
        if (statement.effect !== 'Allow') continue;
        for (const finding of await checkStatement(
          statement,
          `${where} ${statementLabel(statement, index)}`,
        )) {
          report(finding);
        }
      }
    }
  },
);
