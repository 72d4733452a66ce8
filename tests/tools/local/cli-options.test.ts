import { parseStartOptions, UsageError } from '../../../tools/local/cli-options';

describe('npm start options', () => {
  test('defaults: serve, dev stack, samples/, .local/, free ports, gate on', () => {
    expect(parseStartOptions([])).toEqual({
      once: false,
      stack: 'dev',
      samplesDir: 'samples',
      stateDir: '.local',
      ports: {
        api: undefined,
        dynamodb: undefined,
        s3: undefined,
        sns: undefined,
        secretsManager: undefined,
      },
      skipGate: false,
      help: false,
    });
  });

  test('ports and --once', () => {
    expect(parseStartOptions(['--once', '--api-port', '3000', '--s3-port', '4569'])).toMatchObject({
      once: true,
      ports: { api: 3000, s3: 4569 },
    });
  });

  test.each([
    [['--api-port', 'abc'], /--api-port must be a port number/],
    [['--api-port', '70000'], /--api-port must be a port number/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['--stack', '../x'], /not a valid stack name/],
  ])('%p is a usage error', (argv, message) => {
    expect(() => parseStartOptions(argv)).toThrow(UsageError);
    expect(() => parseStartOptions(argv)).toThrow(message);
  });
});
