import { synthesize } from '../../gate/synth/synthesize';

describe('the program with a bad stack configuration', () => {
  it('stops before creating anything, with every problem named', async () => {
    await expect(
      synthesize({
        stack: 'broken',
        config: {
          'transaction-processor:environmentSuffix': 'Not_Valid',
          'transaction-processor:alertEmail': 'nobody',
          'transaction-processor:merchants': '[]',
        },
      }),
    ).rejects.toThrow(
      /Invalid stack configuration:\n- environmentSuffix "Not_Valid" must be lowercase[^\n]*\n- alertEmail "nobody" is not a valid e-mail address\.\n- merchants must be a non-empty list/,
    );
  });
});
