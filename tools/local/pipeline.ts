/**
 * The whole pipeline on an embedded local AWS, wired as the stack wires it: DynamoDB Local with the
 * table and its stream, s3rver with the bucket, the SNS and Secrets Manager stand-ins, the real
 * function bundles in local execution environments, S3 notifications -> validator (async, with
 * retries), stream -> anomaly (event source mapping semantics), and the API in front of the api
 * function. `npm start` and the end-to-end tests both use it.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CALL_LOG_ENV } from '../../lambda/shared/call-recorder';
import { functionBaseEnv, LOCAL_CREDENTIALS, type LocalEndpoints } from './local-env';
import { startLocalApi } from './api-gateway';
import {
  createHosts,
  createStopList,
  failureQueue,
  startServers,
  STATE_FILES,
  wireStream,
  wireValidator,
} from './pipeline-parts';
import type { LocalPipeline, LocalPipelineOptions, LocalState } from './pipeline-types';

export type { LocalPorts, PipelineEvent, LocalPipelineOptions, LocalPipeline } from './pipeline-types';
export { STATE_FILES } from './pipeline-parts';

/** Starts the servers, the functions' environments and their wiring, in the order the stack implies. */
export async function startLocalPipeline(options: LocalPipelineOptions): Promise<LocalPipeline> {
  const d = options.definitions;
  const dir = options.stateDir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, STATE_FILES.logs), { recursive: true });
  const emit = options.onEvent ?? (() => undefined);
  const { failures, toFailureQueue } = failureQueue(dir, emit);
  const { track, stop } = createStopList();
  options.registerStop?.(stop);
  try {
    const servers = await startServers(options, emit, track);
    const endpoints: LocalEndpoints = {
      dynamodb: servers.dynamo.endpoint,
      s3: servers.s3.endpoint,
      sns: servers.alertSink.url,
      secretsManager: servers.secrets.url,
    };
    const baseEnv = {
      ...functionBaseEnv(d, endpoints),
      ...(options.callLog ? { [CALL_LOG_ENV]: options.callLog } : {}),
    };
    const { hostOf, streamTarget, shardHosts } = createHosts(options, baseEnv, track);
    writeLocalState(dir, {
      stack: options.stack ?? 'dev',
      // No stream ARN: DynamoDB Local's (account 000000000000) reads as a card number to the PAN
      // scan of this directory; each failure record names its stream anyway.
      endpoints,
      shardCount: shardHosts.length,
      keyAttributes: [d.table.partitionKey],
    });
    // Stopped servers are not there to replay into: the file goes with them.
    track(async () => rmSync(join(dir, STATE_FILES.local), { force: true }));
    const validator = wireValidator(
      options,
      hostOf(d.functions.validator.name),
      servers,
      emit,
      toFailureQueue,
    );
    const poller = wireStream(
      options,
      servers.dynamo,
      { definition: streamTarget, shardHosts },
      emit,
      toFailureQueue,
      track,
    );
    const api = await startLocalApi({
      definitions: d,
      invoke: (event) => hostOf(d.functions.api.name).invoke(event),
      port: options.ports?.api,
      onRequest: (line) => emit({ kind: 'request', line }),
    });
    track(api.close);

    return {
      apiUrl: api.url,
      keys: api.keys,
      endpoints,
      clientConfig: { region: d.region, credentials: LOCAL_CREDENTIALS },
      bucket: d.bucket.name,
      tableName: d.table.name,
      stateDir: dir,
      alerts: servers.alertSink.alerts,
      alertSink: servers.alertSink,
      secretStore: servers.secrets,
      objectStore: servers.s3,
      failures,
      settle: async () => {
        await validator.idle();
        await poller.idle();
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Where this local AWS listens and how its stream is sharded, for tools started beside it. */
function writeLocalState(dir: string, state: LocalState): void {
  writeFileSync(join(dir, STATE_FILES.local), `${JSON.stringify(state, null, 2)}\n`);
}
