/**
 * The local stand-in for the alerts topic: a tiny server speaking the one SNS call the anomaly
 * function makes (Publish, AWS Query protocol), which shows each message on the console and
 * appends it to `alerts.jsonl` instead of e-mailing it.
 * https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { escapeXml } from '../../gate/reports/xml';
import { listenLocal, readBody, type LocalServer } from './http-util';

export interface LocalAlert {
  time: string;
  messageId: string;
  topicArn: string;
  subject?: string;
  message: string;
  /** Message attributes (severity, rule, merchant) as name -> string value. */
  attributes: Record<string, string>;
}

export interface AlertSink {
  url: string;
  alerts: LocalAlert[];
  /** Fails the next `count` requests with a 500, as an SNS outage would (tests of retries). */
  failNextRequests(count: number): void;
  close(): Promise<void>;
}

const errorXml = (code: string, message: string) =>
  `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error>` +
  `<RequestId>${randomUUID()}</RequestId></ErrorResponse>`;

/** Query-protocol `MessageAttributes.entry.N.{Name,Value.StringValue}` into a plain map. */
export const messageAttributes = (form: URLSearchParams): Record<string, string> => {
  const attributes: Record<string, string> = {};
  for (let n = 1; form.has(`MessageAttributes.entry.${n}.Name`); n++) {
    const name = form.get(`MessageAttributes.entry.${n}.Name`)!;
    attributes[name] = form.get(`MessageAttributes.entry.${n}.Value.StringValue`) ?? '';
  }
  return attributes;
};

export async function startAlertSink(options: {
  topicArn: string;
  file: string;
  onAlert?: (alert: LocalAlert) => void;
  port?: number;
}): Promise<AlertSink> {
  const alerts: LocalAlert[] = [];
  let failures = 0;
  const reply = (res: ServerResponse, status: number, body: string) => {
    res.writeHead(status, { 'content-type': 'text/xml' });
    res.end(body);
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const form = new URLSearchParams((await readBody(req)).toString('utf8'));
    if (failures > 0) {
      failures--;
      return reply(res, 500, errorXml('InternalError', 'Injected local failure'));
    }
    const action = form.get('Action');
    if (action !== 'Publish')
      return reply(res, 400, errorXml('InvalidAction', `${action} is not supported locally`));
    const topicArn = form.get('TopicArn') ?? '';
    if (topicArn !== options.topicArn) return reply(res, 404, errorXml('NotFound', 'Topic does not exist'));
    const message = form.get('Message');
    if (!message) return reply(res, 400, errorXml('InvalidParameter', 'Empty message'));
    const alert: LocalAlert = {
      time: new Date().toISOString(),
      messageId: randomUUID(),
      topicArn,
      subject: form.get('Subject') ?? undefined,
      message,
      attributes: messageAttributes(form),
    };
    alerts.push(alert);
    appendFileSync(options.file, `${JSON.stringify(alert)}\n`);
    options.onAlert?.(alert);
    reply(
      res,
      200,
      `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${alert.messageId}` +
        `</MessageId></PublishResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`,
    );
  };
  const server: LocalServer = await listenLocal((req, res) => {
    handle(req, res).catch((error: Error) => reply(res, 500, errorXml('InternalError', error.message)));
  }, options.port);
  return {
    url: server.url,
    alerts,
    failNextRequests: (count) => {
      failures = count;
    },
    close: () => server.close(),
  };
}
