// How far an upload has arrived, shared between the engine's thread that receives it and
// the decoder thread that reads it meanwhile: a large .cpuprofile's nodes (the first two
// fifths of the file) are read while the rest is still on the wire. Two Int32 slots in
// shared memory: the bytes in, and whether the body is complete or was abandoned.

import { ProfileDecodeError } from './profileError.ts';

const RECEIVED = 0, STATE = 1;
/** STATE: 0 while receiving, then one of these. */
const COMPLETE = 1, ABANDONED = 2;

/** The receiving side. */
export class BodyArrival {
  readonly state = new Int32Array(new SharedArrayBuffer(8));

  arrived(bytes: number): void {
    Atomics.store(this.state, RECEIVED, bytes);
    Atomics.notify(this.state, RECEIVED);
  }

  complete(bytes: number): void {
    Atomics.store(this.state, STATE, COMPLETE);
    this.arrived(bytes);
  }

  abandon(): void {
    Atomics.store(this.state, STATE, ABANDONED);
    Atomics.notify(this.state, RECEIVED);
  }
}

/**
 * The reading side: a function that returns once the first `upTo` bytes are in (or all
 * of them, if fewer) with how many are in (Infinity once all are), and throws if the
 * upload was abandoned.
 */
export function waitForBytes(state: Int32Array): (upTo: number) => number {
  return (upTo) => {
    for (;;) {
      const now = Atomics.load(state, STATE);
      if (now === COMPLETE) return Infinity;
      const received = Atomics.load(state, RECEIVED);
      if (received >= upTo) return received;
      if (now === ABANDONED) throw new ProfileDecodeError('unknown', 'the upload ended before the whole file arrived');
      Atomics.wait(state, RECEIVED, received, 1000);
    }
  };
}
