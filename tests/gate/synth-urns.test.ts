/** The synthesizer names resources as the engine does, not as the SDK's mock monitor would. */
import { engineUrn } from '../../gate/synth/pulumi-runtime';

const ROOT = 'urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev';

describe("the engine's URNs", () => {
  it('leaves the root stack out of its children, and chains every other parent type', () => {
    expect(engineUrn('dev', 'proj', '', 'pulumi:pulumi:Stack', 'proj-dev')).toBe(ROOT);
    const component = engineUrn('dev', 'proj', ROOT, 'proj:data:Table', 'orders');
    expect(component).toBe('urn:pulumi:dev::proj::proj:data:Table::orders');
    const child = engineUrn('dev', 'proj', component, 'aws:dynamodb/table:Table', 'orders');
    expect(child).toBe('urn:pulumi:dev::proj::proj:data:Table$aws:dynamodb/table:Table::orders');
    expect(engineUrn('dev', 'proj', child, 'x:y:Z', 'n::with::colons')).toBe(
      'urn:pulumi:dev::proj::proj:data:Table$aws:dynamodb/table:Table$x:y:Z::n::with::colons',
    );
  });
});
