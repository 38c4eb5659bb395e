// One metric series' points, oldest first, in typed-array columns: the two timestamps as
// 32-bit halves and the value as a double, 25 bytes a point where a decoded point object
// cost about 480 on the heap. Gauge and sum points (nearly all points) fit; a point with
// exemplars or flags, an int beyond 2^53, a histogram or a summary is kept as its
// decoded object beside the columns. Points are rebuilt as objects only when asked for.

import { uint64ToDecimal } from '../otlp/protobuf/wire.ts';

/** A data point as decoded, without its attributes (they are the series'). */
export type StoredPoint = { timeUnixNano?: string; startTimeUnixNano?: string } & Record<string, unknown>;

const enum Form { Double = 0, Int = 1, Object = 2 }

/** Bytes a point takes in the columns. */
const COLUMN_BYTES = 4 * 4 + 8 + 1;
/** A decoded point on the heap with its time strings and value (measured), and 40 a list element. */
const OBJECT_BYTES = 480;
const FIRST_CAPACITY = 8;

export class PointLog {
  private startLo = new Uint32Array(FIRST_CAPACITY);
  private startHi = new Uint32Array(FIRST_CAPACITY);
  private timeLo = new Uint32Array(FIRST_CAPACITY);
  private timeHi = new Uint32Array(FIRST_CAPACITY);
  private value = new Float64Array(FIRST_CAPACITY);
  private form = new Uint8Array(FIRST_CAPACITY);
  /** Points kept whole, at their index; allocated when the first one comes. */
  private objects: (StoredPoint | undefined)[] | undefined;
  private head = 0;
  private tail = 0;
  private objectBytes = 0;

  get count(): number {
    return this.tail - this.head;
  }

  get memoryBytes(): number {
    return this.form.length * COLUMN_BYTES + (this.objects ? this.objects.length * 8 : 0) + this.objectBytes;
  }

  /** Appends a point; returns the change in `memoryBytes`. */
  push(point: StoredPoint): number {
    const before = this.memoryBytes;
    if (this.tail === this.form.length) this.makeRoom();
    const i = this.tail++;
    const start = toHalves(point.startTimeUnixNano);
    const time = toHalves(point.timeUnixNano);
    const form = start && time ? compactForm(point) : Form.Object;
    this.form[i] = form;
    if (form === Form.Object) {
      (this.objects ??= [])[i] = point;
      this.objectBytes += objectBytes(point);
      return this.memoryBytes - before;
    }
    this.startLo[i] = start![0];
    this.startHi[i] = start![1];
    this.timeLo[i] = time![0];
    this.timeHi[i] = time![1];
    this.value[i] = form === Form.Int ? Number(point.asInt) : (point.asDouble as number);
    return this.memoryBytes - before;
  }

  /**
   * Drops the oldest point; returns the bytes freed. The columns shrink by half once they
   * are three quarters empty: a series whose points memory evicted would otherwise keep
   * the room of its busiest moment, which the budget counts and cannot evict.
   */
  shift(): number {
    if (this.head === this.tail) return 0;
    const before = this.memoryBytes;
    const i = this.head++;
    if (this.form[i] === Form.Object) {
      this.objectBytes -= objectBytes(this.objects![i]!);
      this.objects![i] = undefined;
    }
    if (this.form.length > FIRST_CAPACITY && (this.tail - this.head) * 4 <= this.form.length) this.resize(this.form.length / 2);
    return before - this.memoryBytes;
  }

  /** The live points, oldest first, as decoded objects. */
  toArray(): StoredPoint[] {
    const out: StoredPoint[] = [];
    for (let i = this.head; i < this.tail; i++) out.push(this.pointAt(i));
    return out;
  }

  private pointAt(i: number): StoredPoint {
    if (this.form[i] === Form.Object) return this.objects![i]!;
    const point: StoredPoint = {};
    if (this.startLo[i] || this.startHi[i]) point.startTimeUnixNano = uint64ToDecimal(this.startLo[i], this.startHi[i]);
    if (this.timeLo[i] || this.timeHi[i]) point.timeUnixNano = uint64ToDecimal(this.timeLo[i], this.timeHi[i]);
    if (this.form[i] === Form.Int) point.asInt = String(this.value[i]);
    else point.asDouble = this.value[i];
    return point;
  }

  /** Moves the live points to the front, and doubles the columns if they are more than half full. */
  private makeRoom(): void {
    const live = this.tail - this.head;
    this.resize(live * 2 > this.form.length ? this.form.length * 2 : this.form.length);
  }

  /** Moves the live points to the front of columns of `size`. */
  private resize(size: number): void {
    const live = this.tail - this.head;
    const move = <T extends Uint32Array | Float64Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = size === a.length ? a : make(size);
      b.set(a.subarray(this.head, this.tail), 0);
      return b;
    };
    this.startLo = move(this.startLo, (n) => new Uint32Array(n));
    this.startHi = move(this.startHi, (n) => new Uint32Array(n));
    this.timeLo = move(this.timeLo, (n) => new Uint32Array(n));
    this.timeHi = move(this.timeHi, (n) => new Uint32Array(n));
    this.value = move(this.value, (n) => new Float64Array(n));
    this.form = move(this.form, (n) => new Uint8Array(n));
    if (this.objects) this.objects = this.objects.slice(this.head, this.tail);
    this.tail = live;
    this.head = 0;
  }
}

const MAX_U64 = (1n << 64n) - 1n;

/** A decimal uint64 as [lo, hi] 32-bit halves; [0, 0] when absent; undefined when it is not one. */
function toHalves(decimal: string | undefined): [number, number] | undefined {
  if (decimal === undefined) return [0, 0];
  if (!/^\d{1,20}$/.test(decimal)) return undefined;
  const n = BigInt(decimal);
  if (n > MAX_U64) return undefined;
  return [Number(n & 0xffffffffn), Number(n >> 32n)];
}

/** Whether a point is a plain number point the columns can hold, and which value it has. */
function compactForm(point: StoredPoint): Form {
  let form: Form = Form.Object;
  for (const key in point) {
    if (key === 'startTimeUnixNano' || key === 'timeUnixNano') continue;
    if (key === 'asDouble' && typeof point.asDouble === 'number' && form === Form.Object) form = Form.Double;
    else if (key === 'asInt' && form === Form.Object && isSafeIntText(point.asInt)) form = Form.Int;
    else return Form.Object;
  }
  return form;
}

function isSafeIntText(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  const n = Number(v);
  return Number.isSafeInteger(n) && String(n) === v;
}

function objectBytes(point: StoredPoint): number {
  let n = OBJECT_BYTES;
  for (const k of ['bucketCounts', 'explicitBounds', 'quantileValues', 'exemplars'] as const) {
    const v = point[k];
    if (Array.isArray(v)) n += v.length * 40;
  }
  return n;
}
