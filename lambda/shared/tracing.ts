/**
 * Powertools Tracer: one X-Ray subsegment per SDK call, for the validator and the API.
 *
 * The anomaly detector does not import this module. Loading the X-Ray SDK enables an async hook
 * that tracks the destruction of every promise (cls-hooked), tracer on or off, and the detector
 * makes about ten SDK calls of 25-100 items per 100 transactions: the hook cost it about 8% of its
 * CPU per transaction in the bench's replay, which bounds the alert SLA (npm run bench). Its trace
 * is the invocation's segment, which Lambda writes itself (tracing Active on every function).
 * https://docs.powertools.aws.dev/lambda/typescript/latest/features/tracer/
 */
import { Tracer } from '@aws-lambda-powertools/tracer';
import { serviceNameOf } from './observability';

/** The tracer is a no-op outside Lambda, so tests and local runs need no X-Ray daemon. */
export const createTracer = (serviceName: string): Tracer =>
  new Tracer({ serviceName: serviceNameOf(serviceName) });

/** Wraps an SDK v3 client so each call becomes an X-Ray subsegment (no-op when tracing is off). */
export const captureClient = <T>(tracer: Tracer, client: T): T => tracer.captureAWSv3Client(client);
