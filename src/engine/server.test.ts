import * as grpc from '@grpc/grpc-js';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import type { StatusResponse } from '../protocol/api.ts';
import { ListenError, startEngine } from './server.ts';

const MIB = 1048576;

/** A port held by something else for the duration of `use`. */
async function withTakenPort(use: (port: number) => Promise<void>): Promise<void> {
  const holder = createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  try {
    await use((holder.address() as AddressInfo).port);
  } finally {
    holder.close();
  }
}

describe('the engine on a taken port', () => {
  it('names the OTLP/HTTP port and the flag and variable that move it', async () => {
    await withTakenPort(async (port) => {
      const started = startEngine({ host: '127.0.0.1', httpPort: port, grpcPort: 0, memoryBudgetBytes: 64 * MIB, maxBodyBytes: MIB });
      await assert.rejects(started, (err: Error) => {
        assert.ok(err instanceof ListenError);
        assert.equal(err.message, `cannot listen for OTLP/HTTP and API on 127.0.0.1:${port}: port ${port} is already in use. Choose another port with --http-port (or LOUPE_HTTP_PORT); 0 picks a free one.`);
        return true;
      });
    });
  });

  it('names the OTLP/gRPC port and the flag and variable that move it, not grpc-js\'s words', async () => {
    grpc.setLogVerbosity(grpc.logVerbosity.NONE); // grpc-js would also print the bind failure
    try {
      await withTakenPort(async (port) => {
        const started = startEngine({ host: '127.0.0.1', httpPort: 0, grpcPort: port, memoryBudgetBytes: 64 * MIB, maxBodyBytes: MIB });
        await assert.rejects(started, (err: Error) => {
          assert.ok(err instanceof ListenError);
          assert.equal(err.message, `cannot listen for OTLP/gRPC on 127.0.0.1:${port}: port ${port} is already in use. Is another collector running? Choose another port with --grpc-port (or LOUPE_GRPC_PORT); 0 picks a free one.`);
          assert.doesNotMatch(err.message, /No address added/);
          return true;
        });
      });
    } finally {
      grpc.setLogVerbosity(grpc.logVerbosity.ERROR);
    }
  });
});

describe('/api/status', () => {
  it("reports the process's RSS and V8 heap beside the store's bytes", async () => {
    const running = await startEngine({ host: '127.0.0.1', httpPort: 0, grpcPort: 0, memoryBudgetBytes: 64 * MIB, maxBodyBytes: MIB });
    try {
      const status = (await (await fetch(`${running.httpUrl}/api/status`)).json()) as StatusResponse;
      assert.equal(status.memoryBudgetBytes, 64 * MIB);
      assert.ok(status.process.heapUsedBytes > MIB, `heap ${status.process.heapUsedBytes}`);
      assert.ok(status.process.rssBytes > status.process.heapUsedBytes, `rss ${status.process.rssBytes}`);
    } finally {
      await running.close();
    }
  });
});
