// The user database's connection pool, simulated: a fixed number of connections, queries
// that wait when all are busy, and its usage as OpenTelemetry's db.client.connection.count.

import type { Meter } from '@opentelemetry/api';

export class ConnectionPool {
  private used = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(meter: Meter, private readonly size: number, name: string) {
    const pool = { 'db.client.connection.pool.name': name };
    meter.createObservableUpDownCounter('db.client.connection.count', { unit: '{connection}', description: 'Connections in the pool, by state.' })
      .addCallback((result) => {
        result.observe(this.used, { ...pool, 'db.client.connection.state': 'used' });
        result.observe(this.size - this.used, { ...pool, 'db.client.connection.state': 'idle' });
      });
    meter.createObservableUpDownCounter('db.client.connection.pending_requests', { unit: '{request}', description: 'Queries waiting for a connection.' })
      .addCallback((result) => result.observe(this.waiting.length, pool));
  }

  /** Runs `work` on a connection, waiting for one when all are busy. */
  async use<T>(work: () => Promise<T>): Promise<T> {
    if (this.used >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.used++;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.used--;
    }
  }
}
