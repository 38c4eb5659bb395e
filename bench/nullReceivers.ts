// The baselines for ingest throughput, run as their own process as the engine is: an
// HTTP server that reads each body and answers 200, and a grpc-js server whose Export
// answers an empty response without decoding the message. Each uses the same stack
// (node:http, grpc-js) as the engine's receiver, so the ratio is the cost of Loupe's
// own decoding and storing. Prints "http <url>" and "grpc <host:port>" once listening.

import * as grpc from '@grpc/grpc-js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const EMPTY = Buffer.alloc(0);

const server = createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/x-protobuf', 'content-length': 0 });
    res.end();
  });
});
server.listen(0, '127.0.0.1', () => {
  console.log(`http http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});

const identity = (b: Buffer): Buffer => b;
const grpcServer = new grpc.Server();
grpcServer.addService({
  Export: {
    path: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
    requestStream: false, responseStream: false,
    requestSerialize: identity, requestDeserialize: identity, responseSerialize: identity, responseDeserialize: identity,
  },
}, { Export: (_call: unknown, callback: grpc.sendUnaryData<Buffer>) => callback(null, EMPTY) });
grpcServer.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) => {
  if (err) throw err;
  console.log(`grpc 127.0.0.1:${port}`);
});
process.on('SIGTERM', () => process.exit(0));
