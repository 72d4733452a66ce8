/**
 * Powertools Tracer: one X-Ray subsegment per SDK call, for the API (a few calls per request).
 *
 * The validator and the anomaly detector do not import this module. Loading the X-Ray SDK enables
 * an async hook that tracks the destruction of every promise (cls-hooked), tracer on or off, and
 * both spend their CPU on promise-heavy SDK calls in bulk (25 rows per write; about ten calls per
 * 100 transactions). Measured here with the hook loaded: the validator's write client 22 µs per row
 * instead of 16, the detector about 8% more CPU per transaction; both bound the SLA (npm run bench).
 * Their traces are the invocation's segment, which Lambda writes itself (tracing Active on every
 * function).
 * https://docs.powertools.aws.dev/lambda/typescript/latest/features/tracer/
 */
import { Tracer } from '@aws-lambda-powertools/tracer';
import { serviceNameOf } from './observability';

/** The tracer is a no-op outside Lambda, so tests and local runs need no X-Ray daemon. */
export const createTracer = (serviceName: string): Tracer =>
  new Tracer({ serviceName: serviceNameOf(serviceName) });

/** Wraps an SDK v3 client so each call becomes an X-Ray subsegment (no-op when tracing is off). */
export const captureClient = <T>(tracer: Tracer, client: T): T => tracer.captureAWSv3Client(client);
