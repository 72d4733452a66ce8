/**
 * The gate's gRPC transport: @grpc/grpc-js, with the client the SDK generates for the Analyzer
 * service (`@pulumi/pulumi/proto/analyzer_grpc_pb`), the library the pack serves with.
 *
 * Why not something leaner: measured on a 5,000-resource state with 32 calls in flight
 * (issue #16), a hand-written HTTP/2 client cost the gate 1.0–1.6 s of CPU and grpc-js 1.6–2.9 s,
 * while the pack spent 2.5–4.5 s answering in every mode. The pack bounds the run, not the
 * transport, and the gate stays well inside its 10 s goal on grpc-js (docs/benchmarks.md).
 */
import * as grpc from '@grpc/grpc-js';
import { AnalyzerClient } from '@pulumi/pulumi/proto/analyzer_grpc_pb';
import { AnalyzerCallError } from './errors';

/**
 * The largest message either side sends or accepts: the SDK's own limit (`maxRPCMessageSize` in
 * `@pulumi/pulumi/runtime/settings` and `@pulumi/policy/server`), which the pack's server applies
 * to what it receives. grpc-js would otherwise refuse any response over 4 MiB, which the
 * AnalyzeStack diagnostics of a large stack can exceed.
 */
export const MAX_MESSAGE_BYTES = 400 * 1024 * 1024;

export function analyzerClient(address: string): AnalyzerClient {
  return new AnalyzerClient(address, grpc.credentials.createInsecure(), {
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
  });
}

export type UnaryCallback<Res> = (error: grpc.ServiceError | null, response?: Res) => void;

/**
 * One unary call to the pack at `address`, as a promise. A non-OK status rejects with an
 * AnalyzerCallError naming the method: the pack's own details when it answered (a policy threw),
 * the address and grpc-js's reason when the connection failed (the pack died or is gone).
 */
export function unary<Res>(
  address: string,
  method: string,
  start: (callback: UnaryCallback<Res>) => unknown,
): Promise<Res> {
  return new Promise((resolve, reject) => {
    start((error, response) => {
      if (error) reject(new AnalyzerCallError(method, errorDetail(address, error)));
      else resolve(response as Res);
    });
  });
}

function errorDetail(address: string, error: grpc.ServiceError): string {
  // grpc-js ends connection failures with a resolver note, empty for a literal address.
  const details = (error.details || error.message).replace(/\s*Resolution note:\s*$/, '');
  return error.code === grpc.status.UNAVAILABLE ? `connection to ${address} failed: ${details}` : details;
}
