/** One way to break a policy: mutate one resource of the compliant baseline, expect this finding. */
import type { FixtureResource } from '../harness';

export type Props = Record<string, unknown>;

export interface Case {
  policy: string;
  breaks: string;
  /** Logical name of the baseline resource to mutate. */
  resource: string;
  mutate: (props: Props, resource: FixtureResource) => void;
  /** Text (substring) or pattern of the finding's own message. */
  expected: string | RegExp;
}

export const statements = (props: Props) => JSON.parse(props.policy as string) as { Statement: Props[] };

export const withStatement = (props: Props, statement: Props) => {
  const doc = statements(props);
  doc.Statement.push(statement);
  props.policy = JSON.stringify(doc);
};
