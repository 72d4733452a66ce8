/**
 * What the synthesizer records of a program's resource options, as the engine receives them: the
 * stack uses none of these, so a small program of its own registers them.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { synthesize, type SynthResult } from '../../gate/synth/synthesize';

let result: SynthResult;

beforeAll(async () => {
  result = await synthesize({
    stack: 'dev',
    config: { 'aws:region': 'us-east-1' },
    program: () => {
      const parent = new pulumi.ComponentResource(
        'shop:data:Orders',
        'orders',
        {},
        { aliases: [{ name: 'old-orders' }] },
      );
      new aws.sqs.Queue(
        'queue',
        { name: 'orders' },
        {
          parent,
          additionalSecretOutputs: ['url'],
          aliases: [{ name: 'legacy-queue' }],
          customTimeouts: { create: '5m', delete: '90s' },
        },
      );
      return {};
    },
  });
});

const queue = () => result.resources.find((r) => r.type === 'aws:sqs/queue:Queue')!;

describe('resource options the program gives', () => {
  it('records additionalSecretOutputs and custom timeouts in seconds', () => {
    expect(queue().options.additionalSecretOutputs).toEqual(['url']);
    expect(queue().options.customTimeouts).toEqual({ create: 300, delete: 90 });
  });

  it('records the aliases the program gives, as URNs under the parent; not those a parent alias implies', () => {
    // The engine derives those from the parent's aliases itself (README, "What a PASS proves").
    expect(queue().options.aliases).toEqual([
      'urn:pulumi:dev::transaction-processor::shop:data:Orders$aws:sqs/queue:Queue::legacy-queue',
    ]);
    const component = result.resources.find((r) => r.type === 'shop:data:Orders')!;
    expect(component.options.aliases).toEqual([
      'urn:pulumi:dev::transaction-processor::shop:data:Orders::old-orders',
    ]);
  });

  it('records nothing for a resource that sets none of them', () => {
    const component = result.resources.find((r) => r.type === 'shop:data:Orders')!;
    expect(component.options.additionalSecretOutputs).toBeUndefined();
    expect(component.options.customTimeouts).toBeUndefined();
  });
});
