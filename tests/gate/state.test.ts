import * as fs from 'node:fs';
import * as path from 'node:path';
import { secret, SECRET_SIG, SIG_KEY, UNKNOWN } from '../../gate/encoding';
import { parseState, readStateFile, REDACTED, toStateDocument } from '../../gate/state';
import { fixtureInput, resource, tempDir } from './helpers';

const gone = {
  urn: 'urn:pulumi:dev::proj::aws:sqs/queue:Queue::q',
  type: 'aws:sqs/queue:Queue',
  delete: true,
};

describe('state files (pulumi stack export, deployment versions 1 to 4)', () => {
  const dir = tempDir('gate-state-');
  afterAll(() => fs.rmSync(dir, { recursive: true }));
  const write = (name: string, content: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    return file;
  };

  it('round-trips the evaluated resources: options, links and unknowns kept, secrets redacted', () => {
    const input = fixtureInput([
      resource(
        'aws:sqs/queue:Queue',
        'q',
        { name: 'q', arn: UNKNOWN, key: secret('s3cr3t') },
        {
          parent: 'urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev',
          provider: 'urn:pulumi:dev::proj::pulumi:providers:aws::p::id-1',
          dependencies: ['urn:a'],
          options: { retainOnDelete: true, protect: true, ignoreChanges: ['tags'] },
        },
      ),
    ]);
    const doc = toStateDocument(input);
    expect(JSON.stringify(doc)).not.toContain('s3cr3t');
    expect(JSON.stringify(doc)).toContain(REDACTED);
    const back = parseState(JSON.parse(JSON.stringify(doc)), 'x.json');
    expect(back).toMatchObject({ project: 'proj', stack: 'dev', mode: 'state' });
    const q = back.resources[1];
    expect(q).toMatchObject({
      name: 'q',
      parent: input.resources[1].parent,
      provider: input.resources[1].provider,
      dependencies: ['urn:a'],
      options: { retainOnDelete: true, protect: true, ignoreChanges: ['tags'] },
    });
    // Ciphertext comes back as "[secret]", as pulumi policy analyze shows a secret it cannot decrypt.
    expect(q.inputs).toEqual({ name: 'q', arn: UNKNOWN, key: { [SIG_KEY]: SECRET_SIG, value: '[secret]' } });
  });

  it('keeps outputs apart from inputs, and writes a preview resource with its inputs as its state', () => {
    const doc = toStateDocument(fixtureInput([resource('aws:sqs/queue:Queue', 'q', { name: 'q' })]));
    const resources = (doc.deployment as { resources: Record<string, unknown>[] }).resources;
    expect(resources[1].outputs).toEqual({ name: 'q' });
    resources[1].outputs = { name: 'q', arn: 'arn:aws:sqs:us-east-1:1:q' };
    const q = parseState(doc, 'x').resources[1];
    expect(q.inputs).toEqual({ name: 'q' });
    expect(q.outputs).toEqual({ name: 'q', arn: 'arn:aws:sqs:us-east-1:1:q' });
  });

  it('migrates version 1 and 2 resources as the CLI does: every input depends on every dependency', () => {
    const v1 = {
      version: 1,
      deployment: {
        resources: [
          {
            urn: 'urn:pulumi:dev::proj::aws:sqs/queue:Queue::q',
            type: 'aws:sqs/queue:Queue',
            custom: true,
            inputs: { name: 'q', policy: 'p' },
            dependencies: ['urn:a'],
            provider: 'urn:pulumi:dev::proj::pulumi:providers:aws::p::id',
          },
        ],
      },
    };
    const [q] = parseState(v1, 'x').resources;
    expect(q.propertyDependencies).toEqual({ name: ['urn:a'], policy: ['urn:a'] });
    expect(q.provider).toBeUndefined(); // ResourceV1 has no provider reference
    expect(parseState({ ...v1, version: 2 }, 'x').resources[0].provider).toBe(
      'urn:pulumi:dev::proj::pulumi:providers:aws::p::id',
    );
  });

  it("reads the unversioned first checkpoint form and checks a version-4 checkpoint's features", () => {
    const latest = {
      resources: [{ urn: 'urn:pulumi:dev::proj::aws:sqs/queue:Queue::q', type: 'aws:sqs/queue:Queue' }],
    };
    expect(parseState({ stack: 'dev', latest }, 'x').resources.map((r) => r.name)).toEqual(['q']);
    expect(() => parseState({ version: 4, features: ['nope'], checkpoint: { latest } }, 'x')).toThrow(
      /needs support for the following features: nope/,
    );
    expect(() => parseState({ version: 9, checkpoint: { latest } }, 'x')).toThrow(
      /has checkpoint version 9, newer than the gate reads/,
    );
  });

  it('reads --show-secrets plaintext as the secret value', () => {
    const doc = toStateDocument(fixtureInput([resource('aws:sqs/queue:Queue', 'q')]));
    const resources = (doc.deployment as { resources: { inputs: Record<string, unknown> }[] }).resources;
    resources[1].inputs = { policy: { [SIG_KEY]: SECRET_SIG, plaintext: '{"a":1}' } };
    expect(parseState(doc, 'x').resources[1].inputs).toEqual({ policy: secret({ a: 1 }) });
  });

  it('rejects unreadable, non-JSON, wrong-version, empty and malformed files with one-line messages', () => {
    expect(() => readStateFile(path.join(dir, 'nope.json'))).toThrow(
      /cannot read state file .*nope.json: ENOENT/,
    );
    expect(() => readStateFile(write('bad.json', '{"version": 3,'))).toThrow(/is not valid JSON/);
    expect(() => readStateFile(write('v5.json', '{"version": 5, "deployment": {"resources": []}}'))).toThrow(
      /has deployment version 5, newer than the gate reads; expected 1 to 4/,
    );
    expect(() => readStateFile(write('v0.json', '{"deployment": {"resources": []}}'))).toThrow(
      /has deployment version none; expected 1 to 4/,
    );
    expect(() =>
      readStateFile(
        write('gone.json', `{"version": 3, "deployment": {"resources": [${JSON.stringify(gone)}]}}`),
      ),
    ).toThrow(/has no resources to audit: all 1 are pending deletion/);
    expect(() =>
      readStateFile(write('empty.json', '{"version": 3, "deployment": {"resources": []}}')),
    ).toThrow(/has no resources/);
    expect(() =>
      readStateFile(write('nourn.json', '{"version": 3, "deployment": {"resources": [{"type": "x"}]}}')),
    ).toThrow(/resource #0 has no valid urn/);
    expect(() => readStateFile(write('array.json', '[]'))).toThrow(/deployment version none/);
  });
});
