/**
 * Small hand-assembled WebAssembly SIMD routines that work in place on the wasm backend's heap,
 * for loops that JavaScript runs slowly: the 2×2 max-pool gradient picks one of four values per
 * element, and with random data V8's branches mispredict about every other time (≈ 4.5 ns per
 * element; four lanes of compares and bit-selects take a fraction of that), and transposes, whose
 * strided stores cost ≈ 2 ns per element in JavaScript.
 *
 * The module imports the backend's own WebAssembly.Memory, so tensors are addressed by their heap
 * offsets and nothing is copied. Where WebAssembly SIMD or that memory is unavailable, callers get
 * undefined and keep their JavaScript path.
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** The parts of the WebAssembly JS API used here (the project's TypeScript libs do not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (
    module: object,
    imports: Record<string, Record<string, unknown>>,
  ) => { exports: Record<string, unknown> };
  Memory: abstract new (...args: never[]) => object;
}

/** maxPoolGrad2x2(x, dy, dx, windowRows, windowColumns, channels): byte offsets, channels % 4 = 0. */
export type MaxPoolGrad2x2 = (
  x: number,
  dy: number,
  dx: number,
  windowRows: number,
  windowColumns: number,
  channels: number,
) => void;

/**
 * transpose4(src, dst, rows, columns, srcRowBytes, dstRowBytes): dst[c][r] = src[r][c] for float32
 * matrices at byte offsets src and dst with the given row strides; rows and columns multiples of 4.
 */
export type Transpose4 = (
  src: number,
  dst: number,
  rows: number,
  columns: number,
  srcRowBytes: number,
  dstRowBytes: number,
) => void;

export interface SimdRoutines {
  readonly maxPoolGrad2x2: MaxPoolGrad2x2;
  readonly transpose4: Transpose4;
}

// Opcodes (WebAssembly core and SIMD specifications).
const I32 = 0x7f;
const V128 = 0x7b;
const BLOCK = [0x02, 0x40];
const LOOP = [0x03, 0x40];
const END = 0x0b;
const BR = 0x0c;
const BR_IF = 0x0d;
const I32_GE_U = 0x4f;
const I32_ADD = 0x6a;
const I32_SHL = 0x74;
const I32_MUL = 0x6c;
const SIMD = 0xfd;
const V128_LOAD = [SIMD, 0x00, 2, 0];
const V128_STORE = [SIMD, 0x0b, 2, 0];
const F32X4_GT = [SIMD, 0x44];
const V128_AND = [SIMD, 0x4e];
const V128_ANDNOT = [SIMD, 0x4f];
const V128_OR = [SIMD, 0x50];
const V128_BITSELECT = [SIMD, 0x52];
const shuffle = (lanes: number[]): number[] => [SIMD, 0x0d, ...lanes];
const range = (from: number, count: number): number[] => Array.from({ length: count }, (_, i) => from + i);
/** Lanes (a0, b0, a1, b1) and (a2, b2, a3, b3) of two f32x4 vectors a, b. */
const INTERLEAVE_LOW = shuffle([...range(0, 4), ...range(16, 4), ...range(4, 4), ...range(20, 4)]);
const INTERLEAVE_HIGH = shuffle([...range(8, 4), ...range(24, 4), ...range(12, 4), ...range(28, 4)]);
/** The low (or high) halves of two vectors: (a0, a1, b0, b1), (a2, a3, b2, b3). */
const LOW_HALVES = shuffle([...range(0, 8), ...range(16, 8)]);
const HIGH_HALVES = shuffle([...range(8, 8), ...range(24, 8)]);

function unsignedLeb(value: number): number[] {
  const bytes: number[] = [];
  let rest = value >>> 0;
  do {
    const byte = rest & 0x7f;
    rest >>>= 7;
    bytes.push(rest === 0 ? byte : byte | 0x80);
  } while (rest !== 0);
  return bytes;
}

function signedLeb(value: number): number[] {
  const bytes: number[] = [];
  let rest = value | 0;
  for (;;) {
    const byte = rest & 0x7f;
    rest >>= 7;
    const done = (rest === 0 && (byte & 0x40) === 0) || (rest === -1 && (byte & 0x40) !== 0);
    bytes.push(done ? byte : byte | 0x80);
    if (done) return bytes;
  }
}

const get = (local: number): number[] => [0x20, ...unsignedLeb(local)];
const set = (local: number): number[] => [0x21, ...unsignedLeb(local)];
const i32 = (value: number): number[] => [0x41, ...signedLeb(value)];
const section = (id: number, body: number[]): number[] => [id, ...unsignedLeb(body.length), ...body];
const vector = (items: number[][]): number[] => [...unsignedLeb(items.length), ...items.flat()];
const name = (text: string): number[] => [...unsignedLeb(text.length), ...Array.from(text, (c) => c.charCodeAt(0))];

/** `local += delta` for i32 locals. */
const increment = (local: number, delta: number[]): number[] => [...get(local), ...delta, I32_ADD, ...set(local)];

/** while (counter < limit) { body; } with the counter reset first and incremented by `step` after. */
function countedLoop(counter: number, limit: number, step: number[], body: number[]): number[] {
  return [
    ...i32(0),
    ...set(counter),
    ...BLOCK,
    ...LOOP,
    ...get(counter),
    ...get(limit),
    I32_GE_U,
    BR_IF,
    1,
    ...body,
    ...increment(counter, step),
    BR,
    0,
    END,
    END,
  ];
}

/**
 * The 2×2, stride-2 max-pool gradient over exactly tiling windows (see max-pool-grad.ts): per window
 * and channel the first strict maximum of a, b (same row), c, e (next row), starting from −∞, gets
 * dy; the others get +0. Four channels per step.
 */
function maxPoolGrad2x2Body(): number[] {
  // Parameters 0–5: x, dy, dx, windowRows, windowColumns, channels.
  const [x, dy, dx, rows, columns, channels] = [0, 1, 2, 3, 4, 5];
  // i32 locals.
  const [channelBytes, rowBytes, r, ow, d, p, dyAt, xAt, dxAt] = [6, 7, 8, 9, 10, 11, 12, 13, 14];
  // v128 locals.
  const [a, b, c, e, best, ka, kb, kc, ke, grad, minusInf] = [15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25];
  const load = (address: number[], into: number): number[] => [...address, ...V128_LOAD, ...set(into)];
  const store = (address: number[], value: number[]): number[] => [...address, ...value, ...V128_STORE];
  const plus = (local: number, ...more: number[]): number[] => [
    ...get(local),
    ...more.flatMap((m) => [...get(m), I32_ADD]),
  ];
  const greaterThan = (left: number, right: number, into: number): number[] => [
    ...get(left),
    ...get(right),
    ...F32X4_GT,
    ...set(into),
  ];
  const select = (ifTrue: number, ifFalse: number, mask: number): number[] => [
    ...get(ifTrue),
    ...get(ifFalse),
    ...get(mask),
    ...V128_BITSELECT,
    ...set(best),
  ];
  const perFourChannels = [
    ...plus(x, p, d),
    ...set(xAt),
    ...plus(dx, p, d),
    ...set(dxAt),
    ...load(get(xAt), a),
    ...load(plus(xAt, channelBytes), b),
    ...load(plus(xAt, rowBytes), c),
    ...load(plus(xAt, rowBytes, channelBytes), e),
    ...load(plus(dyAt, d), grad),
    ...greaterThan(a, minusInf, ka),
    ...select(a, minusInf, ka),
    ...greaterThan(b, best, kb),
    ...select(b, best, kb),
    ...greaterThan(c, best, kc),
    ...select(c, best, kc),
    ...greaterThan(e, best, ke),
    // a wins unless b, c or e beat the running maximum later; b unless c or e; c unless e.
    ...store(get(dxAt), [
      ...get(grad),
      ...get(ka),
      ...get(kb),
      ...get(kc),
      ...get(ke),
      ...V128_OR,
      ...V128_OR,
      ...V128_ANDNOT,
      ...V128_AND,
    ]),
    ...store(plus(dxAt, channelBytes), [
      ...get(grad),
      ...get(kb),
      ...get(kc),
      ...get(ke),
      ...V128_OR,
      ...V128_ANDNOT,
      ...V128_AND,
    ]),
    ...store(plus(dxAt, rowBytes), [...get(grad), ...get(kc), ...get(ke), ...V128_ANDNOT, ...V128_AND]),
    ...store(plus(dxAt, rowBytes, channelBytes), [...get(grad), ...get(ke), ...V128_AND]),
  ];
  const body = [
    ...get(channels),
    ...i32(2),
    I32_SHL,
    ...set(channelBytes),
    ...get(columns),
    ...get(channelBytes),
    I32_MUL,
    ...i32(1),
    I32_SHL,
    ...set(rowBytes),
    ...i32(0),
    ...set(p),
    ...get(dy),
    ...set(dyAt),
    // −∞ in every lane: f32 bits 0xff800000.
    SIMD,
    0x0c,
    ...Array.from({ length: 4 }, () => [0x00, 0x00, 0x80, 0xff]).flat(),
    ...set(minusInf),
    ...countedLoop(r, rows, i32(1), [
      ...countedLoop(ow, columns, i32(1), [
        ...countedLoop(d, channelBytes, i32(16), perFourChannels),
        ...increment(p, [...get(channelBytes), ...i32(1), I32_SHL]),
        ...increment(dyAt, get(channelBytes)),
      ]),
      // The window row covered two input rows; the loop above advanced p over the first.
      ...increment(p, get(rowBytes)),
    ]),
  ];
  const locals = vector([
    [...unsignedLeb(9), I32],
    [...unsignedLeb(11), V128],
  ]);
  const code = [...locals, ...body, END];
  return [...unsignedLeb(code.length), ...code];
}

/** A 4×4 block at a time: four row loads, eight shuffles, four column stores. */
function transpose4Body(): number[] {
  // Parameters 0–5: src, dst, rows, columns, srcRowBytes, dstRowBytes.
  const [src, dst, rows, columns, srcRowBytes, dstRowBytes] = [0, 1, 2, 3, 4, 5];
  // i32 locals.
  const [i, j, from, to] = [6, 7, 8, 9];
  // v128 locals.
  const [r0, r1, r2, r3, t0, t1, t2, t3] = [10, 11, 12, 13, 14, 15, 16, 17];
  const times = (local: number, factor: number): number[] => [...get(local), ...i32(factor), I32_MUL];
  const at = (base: number, strideLocal: number, k: number): number[] =>
    k === 0 ? get(base) : [...get(base), ...times(strideLocal, k), I32_ADD];
  const block = [
    // from = src + i·srcRowBytes + 4j; to = dst + j·dstRowBytes + 4i.
    ...get(src),
    ...get(i),
    ...get(srcRowBytes),
    I32_MUL,
    I32_ADD,
    ...get(j),
    ...i32(2),
    I32_SHL,
    I32_ADD,
    ...set(from),
    ...get(dst),
    ...get(j),
    ...get(dstRowBytes),
    I32_MUL,
    I32_ADD,
    ...get(i),
    ...i32(2),
    I32_SHL,
    I32_ADD,
    ...set(to),
    ...[r0, r1, r2, r3].flatMap((r, k) => [...at(from, srcRowBytes, k), ...V128_LOAD, ...set(r)]),
    ...get(r0),
    ...get(r1),
    ...INTERLEAVE_LOW,
    ...set(t0),
    ...get(r0),
    ...get(r1),
    ...INTERLEAVE_HIGH,
    ...set(t1),
    ...get(r2),
    ...get(r3),
    ...INTERLEAVE_LOW,
    ...set(t2),
    ...get(r2),
    ...get(r3),
    ...INTERLEAVE_HIGH,
    ...set(t3),
    ...at(to, dstRowBytes, 0),
    ...get(t0),
    ...get(t2),
    ...LOW_HALVES,
    ...V128_STORE,
    ...at(to, dstRowBytes, 1),
    ...get(t0),
    ...get(t2),
    ...HIGH_HALVES,
    ...V128_STORE,
    ...at(to, dstRowBytes, 2),
    ...get(t1),
    ...get(t3),
    ...LOW_HALVES,
    ...V128_STORE,
    ...at(to, dstRowBytes, 3),
    ...get(t1),
    ...get(t3),
    ...HIGH_HALVES,
    ...V128_STORE,
  ];
  const body = countedLoop(i, rows, i32(4), countedLoop(j, columns, i32(4), block));
  const locals = vector([
    [...unsignedLeb(4), I32],
    [...unsignedLeb(8), V128],
  ]);
  const code = [...locals, ...body, END];
  return [...unsignedLeb(code.length), ...code];
}

function moduleBytes(): Uint8Array {
  const voidOfSixI32 = [0x60, ...vector(Array.from({ length: 6 }, () => [I32])), 0x00];
  return Uint8Array.from([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vector([voidOfSixI32])),
    // Import env.memory with a minimum of one page and no maximum: any memory satisfies it.
    ...section(2, vector([[...name('env'), ...name('memory'), 0x02, 0x00, 0x01]])),
    ...section(3, vector([[0x00], [0x00]])),
    ...section(
      7,
      vector([
        [...name('maxPoolGrad2x2'), 0x00, 0x00],
        [...name('transpose4'), 0x00, 0x01],
      ]),
    ),
    ...section(10, vector([maxPoolGrad2x2Body(), transpose4Body()])),
  ]);
}

const instances = new WeakMap<object, SimdRoutines | null>();

/** The routines bound to `backend`'s heap, or undefined where they cannot run. */
export function simdRoutines(backend: BackendWasm): SimdRoutines | undefined {
  const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
  const memory = (backend.wasm as unknown as { asm?: { memory?: unknown } }).asm?.memory;
  if (!api || !(memory instanceof api.Memory)) return undefined;
  const known = instances.get(memory);
  if (known !== undefined) return known ?? undefined;
  let routines: SimdRoutines | null;
  try {
    const instance = new api.Instance(new api.Module(moduleBytes()), { env: { memory } });
    routines = {
      maxPoolGrad2x2: instance.exports['maxPoolGrad2x2'] as MaxPoolGrad2x2,
      transpose4: instance.exports['transpose4'] as Transpose4,
    };
  } catch {
    // No SIMD support (or an engine that rejects the module): the JavaScript paths stay in use.
    routines = null;
  }
  instances.set(memory, routines);
  return routines ?? undefined;
}

/**
 * dst[c·dstStride + r] = src[r·srcStride + c] for r < rows, c < columns (float32 element offsets into
 * `heap`, the backend's heap as floats; strides in elements). The part that is a multiple of 4 in
 * both directions goes to the SIMD routine when there is one, the edges to a JavaScript loop.
 */
export function transposeFloats(
  routines: SimdRoutines | undefined,
  heap: Float32Array,
  src: number,
  srcStride: number,
  dst: number,
  dstStride: number,
  rows: number,
  columns: number,
): void {
  const rows4 = routines ? rows - (rows % 4) : 0;
  const columns4 = routines ? columns - (columns % 4) : 0;
  if (routines && rows4 > 0 && columns4 > 0) {
    const bytes = Float32Array.BYTES_PER_ELEMENT;
    routines.transpose4(
      heap.byteOffset + src * bytes,
      heap.byteOffset + dst * bytes,
      rows4,
      columns4,
      srcStride * bytes,
      dstStride * bytes,
    );
  }
  for (let r = 0; r < rows; r++) {
    // Columns [columns4, columns) of every row, and all columns of rows past rows4.
    const c0 = r < rows4 ? columns4 : 0;
    let at = dst + c0 * dstStride + r;
    for (let c = c0, from = src + r * srcStride + c0; c < columns; c++, from++, at += dstStride) heap[at] = heap[from]!;
  }
}
