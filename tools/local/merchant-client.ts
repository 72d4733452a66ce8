/**
 * What a merchant does, over HTTP only: `POST /upload` with its API key, a multipart POST of the
 * ticket's fields and the file to the presigned URL, then `GET /status/{uploadId}` until the upload
 * is no longer pending or processing.
 */
export class MerchantRequestError extends Error {
  override readonly name = 'MerchantRequestError';
  constructor(
    message: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(message);
  }
}

export interface UploadTicket {
  uploadId: string;
  uploadUrl: string;
  method: 'POST';
  fields: Record<string, string>;
  key: string;
  contentType: string;
  maxBytes: number;
}

export interface UploadStatusBody {
  type: 'upload';
  uploadId: string;
  status: 'pending' | 'expired' | 'processing' | 'completed' | 'refused' | 'failed';
  detail?: string;
  counts: Record<string, number>;
  rejected?: { line?: number; column?: string; code: string; message: string }[];
  refusal?: { code: string; message: string };
  error?: { code: string; message: string };
  unknownColumns?: string[];
  durationMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One HTTP call; a 429 from the usage plan's throttle is retried after a growing pause, as a
 * well-behaved client does (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html).
 */
const call = async (url: string, init: RequestInit): Promise<{ status: number; text: string }> => {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(url, init);
    const text = await response.text();
    if (response.status !== 429 || attempt >= 6) return { status: response.status, text };
    await sleep(200 * 2 ** attempt);
  }
};

export async function requestUpload(apiUrl: string, apiKey: string): Promise<UploadTicket> {
  const { status, text } = await call(`${apiUrl}/upload`, {
    method: 'POST',
    headers: { 'x-api-key': apiKey },
  });
  if (status !== 201)
    throw new MerchantRequestError(`POST /upload answered ${status}: ${text}`, status, text);
  return JSON.parse(text) as UploadTicket;
}

/** The form S3 expects: every field of the ticket, then the file last (S3 ignores fields after it). */
export function uploadForm(
  fields: Readonly<Record<string, string>>,
  body: Buffer,
  contentType: string,
): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', new Blob([new Uint8Array(body)], { type: contentType }), 'transactions.csv');
  return form;
}

/** Sends the file with the ticket's presigned POST; S3 answers 204 when it stored it. */
export async function sendFile(ticket: UploadTicket, body: Buffer): Promise<void> {
  const form = uploadForm(ticket.fields, body, ticket.contentType);
  const { status, text } = await call(ticket.uploadUrl, { method: 'POST', body: form });
  if (status < 200 || status > 299)
    throw new MerchantRequestError(`POST to the upload URL answered ${status}: ${text}`, status, text);
}

export async function getStatus<T = unknown>(apiUrl: string, apiKey: string | undefined, id: string) {
  const headers: Record<string, string> = apiKey ? { 'x-api-key': apiKey } : {};
  const { status, text } = await call(`${apiUrl}/status/${encodeURIComponent(id)}`, { headers });
  let body: T | undefined;
  try {
    body = JSON.parse(text) as T;
  } catch {
    body = undefined;
  }
  return { status, body, text };
}

const FINAL = new Set(['expired', 'completed', 'refused', 'failed']);

/** Uploads `body` and polls its status until it is final (or `timeoutMs` passes). */
export async function uploadAndWait(
  apiUrl: string,
  apiKey: string,
  body: Buffer,
  options: { pollMs?: number; timeoutMs?: number; onStatus?: (status: UploadStatusBody) => void } = {},
): Promise<UploadStatusBody> {
  const ticket = await requestUpload(apiUrl, apiKey);
  await sendFile(ticket, body);
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  for (;;) {
    const { status, body: state, text } = await getStatus<UploadStatusBody>(apiUrl, apiKey, ticket.uploadId);
    if (status !== 200 || !state)
      throw new MerchantRequestError(`GET /status answered ${status}: ${text}`, status, text);
    options.onStatus?.(state);
    if (FINAL.has(state.status)) return state;
    if (Date.now() > deadline) {
      throw new MerchantRequestError(
        `upload ${ticket.uploadId} still ${state.status} after ${options.timeoutMs} ms`,
        status,
        text,
      );
    }
    await sleep(options.pollMs ?? 250);
  }
}
