import { cardSafeJson } from '../../../lambda/shared/card';
import { createObservability } from '../../../lambda/shared/observability';
import { holdsCardNumber } from '../../../lambda/shared/card';

describe('observability', () => {
  it('the logger masks a card number that reached it by mistake', () => {
    const writes: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    const { logger } = createObservability('test-service');
    try {
      logger.info('paid with 4111111111111111', {
        note: 'card 5555 5555 5555 4444',
        nested: { pan: '378282246310005' },
      });
    } finally {
      spy.mockRestore();
    }
    const output = writes.join('');
    expect(output).toContain('**** **** **** 1111');
    expect(output).toContain('test-service');
    expect(holdsCardNumber(output)).toBe(false);
  });

  it('the replacer leaves non-strings alone', () => {
    expect(cardSafeJson('n', 4111111111111111)).toBe(4111111111111111);
    expect(cardSafeJson('s', 'no card here')).toBe('no card here');
  });
});
