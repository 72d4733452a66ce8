import { csvField, csvLine } from '../../../lambda/validator/adapters/reports';

describe('reports', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=HYPERLINK("http://x")', '"\'=HYPERLINK(""http://x"")"'],
    ['+cmd', "'+cmd"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['-5.00', '-5.00'],
    ['-x', "'-x"],
  ])('csvField(%p) is %p (RFC 4180 quoting, spreadsheet formulas neutralised)', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it('csvLine quotes each field and ends the record with CRLF', () => {
    expect(csvLine(['4', 'a,b', '=1+1'])).toBe('4,"a,b",\'=1+1\r\n');
  });
});
