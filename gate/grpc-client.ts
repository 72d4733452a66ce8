/**
 * The gate's gRPC transport: @grpc/grpc-js, with the client the SDK generates for the Analyzer
 * service (`@pulumi/pulumi/proto/analyzer_grpc_pb`), the library the pack serves with; the
 * generated messages encode every request and decode every response.
 *
 * Measured on the bench's 5,000-resource state, 32 calls in flight (issue #16, then paired runs
 * when the gate moved here): the pack spends 3.3–4.6 s of CPU answering, whatever the client. The
 * gate's own CPU was 1.3–1.9 s with a hand-written HTTP/2 client and protobuf codec, 2.2–2.8 s on
 * grpc-js with the hand encoder, and is 3.3–4.2 s on grpc-js with the generated messages: the
 * library costs less than the pack's work, not more. Gate and pack together (7–8.5 s of CPU) fit
 * the 10 s goal even on one core, and the hand encoder's paired wall times were within the
 * machine's noise of these, so nothing hand-written is kept (bench rows: docs/benchmarks.md).
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
      if (error) reject(new AnalyzerCallError(method, errorDetail(address, error), error.code));
      else resolve(response as Res);
    });
  });
}

function errorDetail(address: string, error: grpc.ServiceError): string {
  // grpc-js ends connection failures with a resolver note, empty for a literal address.
  const details = (error.details || error.message).replace(/\s*Resolution note:\s*$/, '');
  return error.code === grpc.status.UNAVAILABLE ? `connection to ${address} failed: ${details}` : details;
}
