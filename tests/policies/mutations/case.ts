/** One way to break a policy: mutate one resource of the real stack, expect this finding. */
import type { FixtureResource } from '../harness';
import type { Selector } from '../selectors';

export type Props = Record<string, unknown>;

export interface Case {
  policy: string;
  breaks: string;
  /** The resource of the synthesized stack to change. */
  target: Selector;
  /** Changes the target in place; returning false removes it from the stack instead. */
  mutate: (props: Props, resource: FixtureResource) => void | false;
  /** Text (substring) or pattern of the finding's own message. */
  expected: string | RegExp;
  /**
   * The resources a finding may be reported against (default: the target). Stack policies report
   * the resource at fault, which is not always the one changed (a topic left without subscription).
   */
  at?: readonly Selector[];
}

export const statements = (props: Props) => JSON.parse(props.policy as string) as { Statement: Props[] };

export const withStatement = (props: Props, statement: Props) => {
  const doc = statements(props);
  doc.Statement.push(statement);
  props.policy = JSON.stringify(doc);
};

/** Every element of an array input (a lifecycle rule, a notification target): none may escape a mutation. */
export const each = (props: Props, key: string, change: (item: Props) => void) => {
  const items = props[key];
  if (!Array.isArray(items) || items.length === 0)
    throw new Error(`expected a non-empty ${key}; found ${JSON.stringify(items)}`);
  (items as Props[]).forEach(change);
};
