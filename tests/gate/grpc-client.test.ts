/**
 * The gate's transport against an in-process Analyzer server (grpc-js, the SDK's service
 * definition): messages beyond grpc-js's 4 MiB default arrive whole, and a non-OK status becomes
 * an AnalyzerCallError with the server's details.
 */
import * as grpc from '@grpc/grpc-js';
import { AnalyzerService } from '@pulumi/pulumi/proto/analyzer_grpc_pb';
import * as pb from '@pulumi/pulumi/proto/analyzer_pb';
import { Analyzer } from '../../gate/analyzer-client';
import { AnalyzerCallError } from '../../gate/errors';
import { MAX_MESSAGE_BYTES } from '../../gate/grpc-client';
import { analyzeRequest, analyzeStackRequest } from '../../gate/requests';
import { resource } from './helpers';

/** Diagnostics enough for a response of about 6 MiB. */
function bigResponse(): pb.AnalyzeResponse {
  const res = new pb.AnalyzeResponse();
  for (let i = 0; i < 20_000; i++) {
    const d = new pb.AnalyzeDiagnostic();
    d.setPolicyname('p');
    d.setMessage(`${i} ${'m'.repeat(300)}`);
    d.setEnforcementlevel(pb.EnforcementLevel.MANDATORY);
    res.addDiagnostics(d);
  }
  return res;
}

type Handler<Req, Res> = (call: { request: Req }, callback: grpc.sendUnaryData<Res>) => void;

describe('the gate over grpc-js', () => {
  const server = new grpc.Server({ 'grpc.max_receive_message_length': MAX_MESSAGE_BYTES });
  let received = 0;
  let analyzer: Analyzer;
  const analyzeStack: Handler<pb.AnalyzeStackRequest, pb.AnalyzeResponse> = (call, callback) => {
    received = call.request.getResourcesList().length;
    callback(null, bigResponse());
  };
  const analyze: Handler<pb.AnalyzeRequest, pb.AnalyzeResponse> = (_call, callback) =>
    callback({ code: grpc.status.INVALID_ARGUMENT, details: 'bad request\nsecond line' });

  beforeAll(async () => {
    server.addService(AnalyzerService, { analyzeStack, analyze });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) =>
        e ? reject(e) : resolve(p),
      ),
    );
    analyzer = new Analyzer(`127.0.0.1:${port}`);
  });
  afterAll(() => {
    analyzer.close();
    server.forceShutdown();
  });

  it('sends and receives messages larger than 4 MiB', async () => {
    // About 5 MiB of requests: one resource with a large property, many times.
    const big = resource('aws:s3/bucket:Bucket', 'b', { policy: 'x'.repeat(1000) });
    const resources = Array.from({ length: 5_000 }, (_, i) => ({ ...big, urn: `${big.urn}-${i}` }));
    const res = await analyzer.analyzeStack(analyzeStackRequest(resources, new Map()));
    expect(received).toBe(5_000);
    expect(res.diagnostics).toHaveLength(20_000);
    expect(res.diagnostics[19_999].message).toMatch(/^19999 m+$/);
  });

  it('turns a non-OK status into an AnalyzerCallError with the first line of its details', async () => {
    const call = analyzer.analyze(analyzeRequest(resource('x', 'y'), new Map()));
    await expect(call).rejects.toThrow(AnalyzerCallError);
    await expect(call).rejects.toThrow(/^policy pack failed in analyze: bad request$/);
  });
});
