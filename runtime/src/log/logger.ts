import { redactText, redactValue } from '../errors';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LogRecord {
  readonly time: string;
  readonly level: LogLevel;
  readonly msg: string;
  readonly [field: string]: unknown;
}

/** Hosts plug in their own sink (n8n's logger, Node-RED's `node.log`); records arrive already redacted. */
export type LogSink = (record: LogRecord) => void;

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  readonly level?: LogLevel;
  readonly sink?: LogSink;
  readonly fields?: Record<string, unknown>;
  readonly now?: () => number;
}

/** One JSON line per record on stderr: the default when a host gives no sink. */
export const jsonLineSink: LogSink = (record) => {
  process.stderr.write(`${JSON.stringify(record)}\n`);
};

/**
 * The runtime's logger. Its serializer is the redaction layer: the message goes through `redactText`, the
 * fields through `redactValue`, so a caller that logs a request config or an error cannot leak a secret.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = ORDER[options.level ?? 'info'];
  const sink = options.sink ?? jsonLineSink;
  const base = options.fields ?? {};
  const now = options.now ?? Date.now;

  const write = (level: LogLevel, msg: string, fields?: Record<string, unknown>): void => {
    if (ORDER[level] < threshold) return;
    const merged = redactValue({ ...base, ...fields }) as Record<string, unknown>;
    sink({ ...merged, time: new Date(now()).toISOString(), level, msg: redactText(msg) });
  };

  return {
    debug: (msg, fields) => write('debug', msg, fields),
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
    child: (fields) => createLogger({ ...options, fields: { ...base, ...fields } }),
  };
}

/** A logger that drops everything: the default inside the runtime when a caller passes none. */
export const silentLogger: Logger = createLogger({ sink: () => undefined, level: 'error' });
