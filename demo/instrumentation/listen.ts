import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The preferred loopback port if it is free, else any free one: the demo should always start. */
export function listenOnLoopback(server: Server, preferredPort: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EADDRINUSE' || preferredPort === 0) return reject(err);
      server.listen(0, '127.0.0.1');
    };
    server.on('error', onError);
    server.once('listening', () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
    server.listen(preferredPort, '127.0.0.1');
  });
}
