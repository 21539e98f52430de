import type { FaultRule } from './faults/fault-config';
import type { SimulatedService, SimulatorOptions } from './simulator-options';

export const USAGE = `Usage: takt-erp-sim [options]

  --port <n>            port to listen on (default 4010; 0 picks a free one)
  --host <addr>         address to bind (default 127.0.0.1)
  --seed <n>            data seed (default 42)
  --size <n>            records per SAP entity set, up to 1000000 (default 1000)
  --services <list>     sap,mes (default both)
  --sap-client <nnn>    the SAP client the system has (default 100)
  --max-page-size <n>   SAP server-driven page size (default 1000)
  --latency-ms <n>      add this delay to every request
  --jitter-ms <n>       plus a random delay up to this
  --help                show this text
`;

export class CliUsageError extends Error {}

function integer(name: string, text: string | undefined, min: number): number {
  const value = Number(text);
  if (text === undefined || !Number.isInteger(value) || value < min) {
    throw new CliUsageError(`${name} needs an integer >= ${min}`);
  }
  return value;
}

/** Turns argv into simulator options; `--name value` and `--name=value` both work. */
export function parseCliArgs(argv: readonly string[]): SimulatorOptions | 'help' {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') return 'help';
    if (!arg.startsWith('--')) throw new CliUsageError(`Unexpected argument ${arg}`);
    const eq = arg.indexOf('=');
    if (eq > 0) values.set(arg.slice(2, eq), arg.slice(eq + 1));
    else values.set(arg.slice(2), argv[++i] ?? '');
  }
  const known = ['port', 'host', 'seed', 'size', 'services', 'sap-client', 'max-page-size', 'latency-ms', 'jitter-ms'];
  for (const name of values.keys()) if (!known.includes(name)) throw new CliUsageError(`Unknown option --${name}`);

  let services: SimulatedService[] | undefined;
  const list = values.get('services');
  if (list !== undefined) {
    services = list.split(',').map((s) => s.trim()) as SimulatedService[];
    if (services.length === 0 || services.some((s) => s !== 'sap' && s !== 'mes')) {
      throw new CliUsageError('--services takes sap, mes or sap,mes');
    }
  }
  const rules: FaultRule[] = [];
  if (values.has('latency-ms') || values.has('jitter-ms')) {
    const ms = values.has('latency-ms') ? integer('--latency-ms', values.get('latency-ms'), 0) : 0;
    const jitterMs = values.has('jitter-ms') ? integer('--jitter-ms', values.get('jitter-ms'), 0) : 0;
    rules.push({ id: 'cli-latency', action: { type: 'latency', ms, jitterMs } });
  }
  const sapClient = values.get('sap-client');
  if (sapClient !== undefined && !/^\d{3}$/.test(sapClient)) throw new CliUsageError('--sap-client takes three digits');
  const maxPageSize = values.has('max-page-size')
    ? integer('--max-page-size', values.get('max-page-size'), 1)
    : undefined;
  return {
    port: values.has('port') ? integer('--port', values.get('port'), 0) : 4010,
    host: values.get('host') ?? '127.0.0.1',
    seed: values.has('seed') ? integer('--seed', values.get('seed'), 0) : 42,
    size: values.has('size') ? integer('--size', values.get('size'), 0) : 1000,
    ...(services ? { services } : {}),
    ...(sapClient || maxPageSize
      ? { sap: { ...(sapClient ? { client: sapClient } : {}), ...(maxPageSize ? { maxPageSize } : {}) } }
      : {}),
    ...(rules.length > 0 ? { faults: { rules } } : {}),
  };
}
