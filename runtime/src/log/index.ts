export {
  createLogger,
  jsonLineSink,
  silentLogger,
  type LogLevel,
  type LogRecord,
  type LogSink,
  type Logger,
  type LoggerOptions,
} from './logger';
