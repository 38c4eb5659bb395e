// Structured logs: each record goes to Loupe through the OpenTelemetry logs SDK (which
// stamps it with the active trace and span ids) and to stdout as one JSON line, the way
// a service in production would write it for a log shipper.

import { trace, type Attributes } from '@opentelemetry/api';
import { SeverityNumber, type Logger } from '@opentelemetry/api-logs';
import { callSiteAttributes } from './callSite.ts';

type Level = 'debug' | 'info' | 'warn' | 'error';

const SEVERITY: Record<Level, SeverityNumber> = {
  debug: SeverityNumber.DEBUG,
  info: SeverityNumber.INFO,
  warn: SeverityNumber.WARN,
  error: SeverityNumber.ERROR,
};

export class ServiceLog {
  constructor(
    private readonly service: string,
    private readonly logger: Logger,
  ) {}

  debug(message: string, fields: Attributes = {}): void {
    this.write('debug', message, fields);
  }

  info(message: string, fields: Attributes = {}): void {
    this.write('info', message, fields);
  }

  warn(message: string, fields: Attributes = {}, err?: unknown): void {
    this.write('warn', message, fields, err);
  }

  error(message: string, fields: Attributes = {}, err?: unknown): void {
    this.write('error', message, fields, err);
  }

  private write(level: Level, message: string, fields: Attributes, err?: unknown): void {
    // The SDK turns `exception` into exception.type, .message and .stacktrace.
    this.logger.emit({
      severityNumber: SEVERITY[level],
      severityText: level.toUpperCase(),
      body: message,
      attributes: { ...callSiteAttributes(), ...fields },
      exception: err,
    });
    const span = trace.getActiveSpan()?.spanContext();
    const line = {
      time: new Date().toISOString(),
      level,
      service: this.service,
      message,
      trace_id: span?.traceId,
      span_id: span?.spanId,
      ...fields,
      error: err instanceof Error ? `${err.name}: ${err.message}` : undefined,
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  }
}
