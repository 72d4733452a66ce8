/**
 * Direct protobuf decoding of the pack's `AnalyzeResponse` (see protobuf.ts for why the gate
 * speaks the wire format itself). Anything unusual (invalid UTF-8, truncated messages, unknown
 * shapes) throws `Unsupported` inside and returns undefined, and the caller falls back to the
 * SDK's generated stubs.
 */
import { isUtf8 } from 'node:buffer';
import { WIRE_FIXED32, WIRE_FIXED64, WIRE_LEN, WIRE_VARINT } from './protobuf';

/** Thrown by the fast decoder on anything it does not handle; the caller falls back to the stubs. */
class Unsupported extends Error {}

/** Reads protobuf primitives from a buffer. */
class ProtoReader {
  pos: number;

  constructor(
    private readonly buf: Uint8Array,
    start = 0,
    readonly limit = buf.length,
  ) {
    this.pos = start;
  }

  done(): boolean {
    return this.pos >= this.limit;
  }

  /** A varint of at most 32 bits (tags, lengths, enum values). */
  varint(): number {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (this.pos >= this.limit) throw new Unsupported('truncated varint');
      const b = this.buf[this.pos++];
      result += (b & 127) * 2 ** shift;
      if (b < 128) {
        if (result > 0x7fffffff) throw new Unsupported('varint out of range');
        return result;
      }
    }
    throw new Unsupported('long varint');
  }

  /** Start and end of a length-delimited field's content. */
  span(): [number, number] {
    const len = this.varint();
    const start = this.pos;
    const end = start + len;
    if (end > this.limit) throw new Unsupported('truncated field');
    this.pos = end;
    return [start, end];
  }

  string(): string {
    const [start, end] = this.span();
    const bytes = this.buf.subarray(start, end);
    // google-protobuf's decoder and Buffer's agree on valid UTF-8 only.
    if (!isUtf8(bytes)) throw new Unsupported('not UTF-8');
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  }

  skip(wireType: number): void {
    switch (wireType) {
      case WIRE_VARINT:
        while (this.pos < this.limit && this.buf[this.pos] >= 128) this.pos++;
        this.pos++;
        break;
      case WIRE_FIXED64:
        this.pos += 8;
        break;
      case WIRE_LEN:
        this.span();
        break;
      case WIRE_FIXED32:
        this.pos += 4;
        break;
      default:
        throw new Unsupported(`wire type ${wireType}`);
    }
    if (this.pos > this.limit) throw new Unsupported('truncated field');
  }

  sub(): ProtoReader {
    const [start, end] = this.span();
    return new ProtoReader(this.buf, start, end);
  }
}

export interface RawDiagnostic {
  policyName: string;
  policyPackName: string;
  policyPackVersion: string;
  description: string;
  message: string;
  enforcementLevel: number;
  urn: string;
  severity: number;
}

export interface RawAnalyzeResponse {
  diagnostics: RawDiagnostic[];
  notApplicable: { policyName: string; reason: string }[];
}

/**
 * pulumirpc.AnalyzeResponse (diagnostics = 2, not_applicable = 3), decoded as the generated
 * stubs decode it; undefined where this decoder does not apply, so that the caller uses them.
 */
export function decodeAnalyzeResponse(buf: Uint8Array): RawAnalyzeResponse | undefined {
  try {
    const r = new ProtoReader(buf);
    const out: RawAnalyzeResponse = { diagnostics: [], notApplicable: [] };
    while (!r.done()) {
      const tag = r.varint();
      const field = tag >>> 3;
      const wt = tag & 7;
      if (field === 2 && wt === WIRE_LEN) out.diagnostics.push(diagnostic(r.sub()));
      else if (field === 3 && wt === WIRE_LEN) out.notApplicable.push(notApplicable(r.sub()));
      else r.skip(wt);
    }
    return out;
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
}

function diagnostic(r: ProtoReader): RawDiagnostic {
  const d: RawDiagnostic = {
    policyName: '',
    policyPackName: '',
    policyPackVersion: '',
    description: '',
    message: '',
    enforcementLevel: 0,
    urn: '',
    severity: 0,
  };
  while (!r.done()) {
    const tag = r.varint();
    const wt = tag & 7;
    switch (tag >>> 3) {
      case 1:
        d.policyName = expectLen(wt) && r.string();
        break;
      case 2:
        d.policyPackName = expectLen(wt) && r.string();
        break;
      case 3:
        d.policyPackVersion = expectLen(wt) && r.string();
        break;
      case 4:
        d.description = expectLen(wt) && r.string();
        break;
      case 5:
        d.message = expectLen(wt) && r.string();
        break;
      case 7:
        d.enforcementLevel = expectVarint(wt) && r.varint();
        break;
      case 8:
        d.urn = expectLen(wt) && r.string();
        break;
      case 9:
        d.severity = expectVarint(wt) && r.varint();
        break;
      default:
        r.skip(wt);
    }
  }
  return d;
}

function notApplicable(r: ProtoReader): { policyName: string; reason: string } {
  const n = { policyName: '', reason: '' };
  while (!r.done()) {
    const tag = r.varint();
    const wt = tag & 7;
    const field = tag >>> 3;
    if (field === 1) n.policyName = expectLen(wt) && r.string();
    else if (field === 2) n.reason = expectLen(wt) && r.string();
    else r.skip(wt);
  }
  return n;
}

function expectLen(wt: number): true {
  if (wt !== WIRE_LEN) throw new Unsupported(`wire type ${wt} for a string`);
  return true;
}

function expectVarint(wt: number): true {
  if (wt !== WIRE_VARINT) throw new Unsupported(`wire type ${wt} for an enum`);
  return true;
}
