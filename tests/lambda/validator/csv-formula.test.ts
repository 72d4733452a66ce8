/** Rejects files are opened in spreadsheets: nothing a merchant sent may run there as a formula. */
import { csvField } from '../../../lambda/validator/adapters/reports';

describe('csvField neutralises formulas behind leading whitespace too', () => {
  it.each([
    [' =1+1', "' =1+1"],
    ['\u00a0\u00a0+cmd', "'\u00a0\u00a0+cmd"],
    ['  @SUM(A1)', "'  @SUM(A1)"],
    ['\u3000-x', "'\u3000-x"],
    ['\n=1', '"\'\n=1"'],
    ['\uff1dHYPERLINK(1)', "'\uff1dHYPERLINK(1)"], // full-width equals sign
    ['\u0000=1', "'\u0000=1"],
    ['\u200b=1', "'\u200b=1"], // zero-width space first
  ])('csvField(%j) is %j', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it.each(['-5.00', '12.50', ' plain', 'a-b', 'mail@example.com', 'x=1'])('leaves %j as it was', (value) => {
    expect(csvField(value)).toBe(value);
  });
});
