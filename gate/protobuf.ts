/**
 * Direct protobuf wire encoding of the Analyzer requests, for large stacks (decoding of
 * `AnalyzeResponse` is in protobuf-decode.ts). Building google-protobuf message objects
 * (`Struct.fromJavaScript`) for every resource and serializing them again for every call dominated
 * the gate's CPU time on 5,000 resources; here each property object is encoded once, straight to
 * bytes, and requests are assembled from those bytes.
 *
 * The bytes are exactly what google-protobuf (the SDK's generated stubs) writes for the same
 * request: fields in field-number order, proto3 defaults omitted where the stubs omit them, map
 * entries (Struct fields, property dependencies) sorted by key as jspb.Map sorts them. Anything
 * google-protobuf encodes idiosyncratically (strings with surrogate code units, non-finite
 * numbers) or rejects (functions, bigints, array holes) is handed to google-protobuf itself.
 */
import { BinaryWriter } from 'google-protobuf';
import { ListValue, Value } from 'google-protobuf/google/protobuf/struct_pb';
import { isUnknown } from '@pulumi/pulumi/output';
import { toStruct, toWire, UNKNOWN } from './encoding';

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LEN = 2;
export const WIRE_FIXED32 = 5;

/** Any UTF-16 surrogate: google-protobuf's UTF-8 encoder differs from Buffer's on lone ones. */
const SURROGATE = /[\ud800-\udfff]/;

/** A growable output buffer with protobuf primitives. */
export class ProtoWriter {
  private buf: Buffer;
  private pos = 0;

  // Small initial buffers come from Node's pool; most messages fit in one.
  constructor(initialSize = 1024) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** A non-negative integer below 2^32 (tags, lengths, enum values, booleans). */
  varint(v: number): void {
    this.ensure(5);
    const b = this.buf;
    while (v > 127) {
      b[this.pos++] = (v & 127) | 128;
      v >>>= 7;
    }
    b[this.pos++] = v;
  }

  tag(field: number, wireType: number): void {
    this.varint((field << 3) | wireType);
  }

  bool(field: number, v: boolean): void {
    this.tag(field, WIRE_VARINT);
    this.varint(v ? 1 : 0);
  }

  double(field: number, v: number): void {
    if (!Number.isFinite(v)) {
      // google-protobuf writes its own NaN bit pattern.
      const w = new BinaryWriter();
      w.writeDouble(field, v);
      this.raw(w.getResultBuffer());
      return;
    }
    this.tag(field, WIRE_FIXED64);
    this.ensure(8);
    this.buf.writeDoubleLE(v, this.pos);
    this.pos += 8;
  }

  string(field: number, s: string): void {
    if (SURROGATE.test(s)) {
      const w = new BinaryWriter();
      w.writeString(field, s);
      this.raw(w.getResultBuffer());
      return;
    }
    this.tag(field, WIRE_LEN);
    const n = Buffer.byteLength(s, 'utf8');
    this.varint(n);
    this.ensure(n);
    this.pos += this.buf.write(s, this.pos, n, 'utf8');
  }

  /** A length-delimited field whose content is already encoded. */
  bytes(field: number, content: Uint8Array): void {
    this.tag(field, WIRE_LEN);
    this.varint(content.length);
    this.raw(content);
  }

  raw(content: Uint8Array): void {
    this.ensure(content.length);
    this.buf.set(content, this.pos);
    this.pos += content.length;
  }

  /** Starts a length-delimited sub-message; returns the mark to pass to `end`. */
  begin(field: number): number {
    this.tag(field, WIRE_LEN);
    this.ensure(1);
    return this.pos++; // one byte reserved for the length; `end` makes room if it needs more
  }

  end(mark: number): void {
    const len = this.pos - mark - 1;
    let extra = 0;
    for (let v = len >>> 7; v > 0; v >>>= 7) extra++;
    if (extra > 0) {
      this.ensure(extra);
      this.buf.copy(this.buf, mark + 1 + extra, mark + 1, this.pos);
      this.pos += extra;
    }
    let p = mark;
    let v = len;
    while (v > 127) {
      this.buf[p++] = (v & 127) | 128;
      v >>>= 7;
    }
    this.buf[p] = v;
  }

  /** What was written; the writer must not be used afterwards. */
  finish(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}

/**
 * google.protobuf.Struct of the wire encoding of `props` (what `toStruct(props).serializeBinary()`
 * produces), without building the intermediate objects.
 */
export function encodeStruct(props: Record<string, unknown>): Buffer {
  const w = new ProtoWriter();
  if (props === null || typeof props !== 'object' || Array.isArray(props) || isUnknown(props)) {
    w.raw(toStruct(props).serializeBinary());
  } else {
    writeStructFields(w, props);
  }
  return w.finish();
}

/** The `fields` map of a Struct for an object, applying `toWire` on the way (see encoding.ts). */
function writeStructFields(w: ProtoWriter, obj: Record<string, unknown>): void {
  const keys = Object.keys(obj).sort();
  for (const k of keys) {
    if (k.startsWith('__')) continue; // internal keys are skipped by the engine
    const v = obj[k];
    if (v === undefined) continue;
    const entry = w.begin(1);
    w.string(1, k);
    const value = w.begin(2);
    writeValueFields(w, v);
    w.end(value);
    w.end(entry);
  }
}

/** The fields of a google.protobuf.Value for `v` (not undefined), as Value.fromJavaScript(toWire(v)). */
function writeValueFields(w: ProtoWriter, v: unknown): void {
  switch (typeof v) {
    case 'string':
      w.string(3, v);
      return;
    case 'number':
      w.double(2, v);
      return;
    case 'boolean':
      w.bool(4, v);
      return;
    case 'object': {
      if (v === null) {
        w.tag(1, WIRE_VARINT);
        w.varint(0); // NULL_VALUE
        return;
      }
      if (isUnknown(v)) {
        w.string(3, UNKNOWN);
        return;
      }
      if (Array.isArray(v)) {
        const list = w.begin(6);
        writeListValues(w, v);
        w.end(list);
        return;
      }
      const struct = w.begin(5);
      writeStructFields(w, v as Record<string, unknown>);
      w.end(struct);
      return;
    }
    default:
      // Functions, bigints, symbols: whatever google-protobuf does with them (it throws).
      w.raw(Value.fromJavaScript(toWire(v) as Parameters<typeof Value.fromJavaScript>[0]).serializeBinary());
  }
}

function writeListValues(w: ProtoWriter, list: unknown[]): void {
  for (let i = 0; i < list.length; i++) {
    if (!(i in list)) {
      // A hole stays a hole through toWire's map, and google-protobuf rejects it.
      ListValue.fromJavaScript(toWire(list) as Parameters<typeof ListValue.fromJavaScript>[0]);
    }
    const item = w.begin(1);
    const v = list[i];
    if (v === undefined) {
      w.tag(1, WIRE_VARINT);
      w.varint(0); // toWire turns undefined list items into null
    } else {
      writeValueFields(w, v);
    }
    w.end(item);
  }
}
