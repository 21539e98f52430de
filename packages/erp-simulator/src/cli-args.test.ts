import { CliUsageError, parseCliArgs } from './cli-args';

describe('takt-erp-sim arguments', () => {
  it('maps the documented flags onto simulator options', () => {
    expect(
      parseCliArgs([
        '--port',
        '4010',
        '--seed=42',
        '--size',
        '100000',
        '--services',
        'sap',
        '--latency-ms',
        '25',
        '--jitter-ms',
        '10',
        '--max-page-size',
        '500',
        '--sap-client',
        '200',
      ]),
    ).toEqual({
      port: 4010,
      host: '127.0.0.1',
      seed: 42,
      size: 100_000,
      services: ['sap'],
      sap: { client: '200', maxPageSize: 500 },
      faults: { rules: [{ id: 'cli-latency', action: { type: 'latency', ms: 25, jitterMs: 10 } }] },
    });
  });

  it('defaults to port 4010, seed 42, 1000 records, both services', () => {
    expect(parseCliArgs([])).toEqual({ port: 4010, host: '127.0.0.1', seed: 42, size: 1000 });
    expect(parseCliArgs(['--help'])).toBe('help');
  });

  it.each([[['--port', 'x']], [['--services', 'oracle']], [['--colour', 'red']], [['stray']], [['--sap-client', '1']]])(
    'refuses %j',
    (argv) => {
      expect(() => parseCliArgs(argv)).toThrow(CliUsageError);
    },
  );
});
