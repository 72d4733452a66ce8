import { intEnv, jsonMapEnv, listEnv, numberEnv, requireEnv, stringEnv } from '../../../lambda/shared/env';
import { ConfigurationError } from '../../../lambda/shared/errors';

describe('environment readers', () => {
  it('requireEnv returns the trimmed value and names a missing variable', () => {
    expect(requireEnv('TABLE_NAME', { TABLE_NAME: ' t1 ' })).toBe('t1');
    expect(() => requireEnv('TABLE_NAME', {})).toThrow(ConfigurationError);
    expect(() => requireEnv('TABLE_NAME', { TABLE_NAME: '  ' })).toThrow(/TABLE_NAME is required/);
  });

  it('numberEnv and intEnv default when unset and fail fast on garbage or bounds', () => {
    expect(numberEnv('MAX_AMOUNT', 5, {})).toBe(5);
    expect(numberEnv('MAX_AMOUNT', 5, { MAX_AMOUNT: '12.5' })).toBe(12.5);
    expect(() => numberEnv('MAX_AMOUNT', 5, { MAX_AMOUNT: 'lots' })).toThrow(
      /MAX_AMOUNT must be a number, got "lots"/,
    );
    expect(intEnv('WRITE_CONCURRENCY', 8, { WRITE_CONCURRENCY: '4' })).toBe(4);
    expect(() => intEnv('WRITE_CONCURRENCY', 8, { WRITE_CONCURRENCY: '2.5' })).toThrow(/whole number/);
    expect(() => intEnv('WRITE_CONCURRENCY', 8, { WRITE_CONCURRENCY: '0' }, { min: 1 })).toThrow(/>= 1/);
    expect(() => intEnv('WRITE_CONCURRENCY', 8, { WRITE_CONCURRENCY: '99' }, { max: 64 })).toThrow(/<= 64/);
  });

  it('listEnv splits on commas and drops blanks; stringEnv defaults', () => {
    expect(listEnv('C', ['KP'], {})).toEqual(['KP']);
    expect(listEnv('C', ['KP'], { C: 'IR, ,SY ' })).toEqual(['IR', 'SY']);
    expect(stringEnv('S', 'd', {})).toBe('d');
  });

  it('jsonMapEnv parses a string map and refuses anything else', () => {
    expect(jsonMapEnv('M', { M: '{"k1":"merchant-a"}' })).toEqual({ k1: 'merchant-a' });
    expect(() => jsonMapEnv('M', { M: '{oops' })).toThrow(/not valid JSON/);
    expect(() => jsonMapEnv('M', { M: '[1]' })).toThrow(/JSON object/);
    expect(() => jsonMapEnv('M', { M: '{"k":1}' })).toThrow(/map strings to strings/);
  });
});
