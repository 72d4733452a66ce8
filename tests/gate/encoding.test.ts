import { isUnknown, unknown } from '@pulumi/pulumi/output';
import { containsUnknown, secret, SECRET_SIG, SIG_KEY, toStruct, toWire, UNKNOWN } from '../../gate/encoding';

describe("the engine's wire encoding", () => {
  it('uses the SDK sentinels for unknowns and secrets', () => {
    expect(UNKNOWN).toBe('04da6b54-80e4-46f7-96ec-b56ff0331ba9');
    expect(secret('x')).toEqual({
      '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270',
      value: 'x',
    });
    expect(isUnknown(unknown)).toBe(true);
  });

  it('encodes unknowns, keeps secrets, drops undefined and internal keys', () => {
    const wire = toWire({
      a: unknown,
      b: [1, undefined, unknown],
      c: secret({ d: 1 }),
      e: undefined,
      __defaults: ['x'],
    });
    expect(wire).toEqual({
      a: UNKNOWN,
      b: [1, null, UNKNOWN],
      c: { [SIG_KEY]: SECRET_SIG, value: { d: 1 } },
    });
    expect(containsUnknown(wire)).toBe(true);
    expect(containsUnknown({ a: [1, { b: 'x' }] })).toBe(false);
  });

  it('produces a protobuf Struct that decodes to the same wire values', () => {
    const props = { name: 'q', arn: UNKNOWN, key: secret('s'), n: 3, ok: true, list: ['a'] };
    expect(toStruct(props).toJavaScript()).toEqual(props);
  });
});
