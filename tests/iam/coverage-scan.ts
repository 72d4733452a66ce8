/**
 * Every AWS call the function code can make, found by reading `lambda/**`: `new <Name>Command(`,
 * `paginate<Operation>(` and `new Upload(` (lib-storage: a PutObject, or a multipart upload that is
 * completed or aborted), each attributed to its client by the package it is imported from. The
 * presigner (`getSignedUrl(client, new PutObjectCommand(…))`) is found through the command it signs.
 * Names are the recorder's (`S3:GetObject`), so the proof can require each one to be mapped and
 * recorded.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface CallSite {
  readonly file: string;
  /** `<client>:<operation>`, e.g. `S3:PutObject`. */
  readonly call: string;
}

/**
 * lambda/shared/direct-commands.ts: `Direct<Operation>Command`s are DynamoDB's own commands sent
 * without the SDK's middleware (a client that records its calls sends them through the SDK).
 */
const DIRECT_COMMANDS = 'direct-commands';

/** The SDK package a command comes from -> the client name the recorder writes. */
const CLIENT_OF_PACKAGE: Record<string, string> = {
  [DIRECT_COMMANDS]: 'DynamoDB',
  '@aws-sdk/client-s3': 'S3',
  '@aws-sdk/client-dynamodb': 'DynamoDB',
  '@aws-sdk/lib-dynamodb': 'DynamoDB',
  '@aws-sdk/client-sns': 'SNS',
  '@aws-sdk/client-sqs': 'SQS',
  '@aws-sdk/client-secrets-manager': 'SecretsManager',
  '@aws-sdk/client-kms': 'KMS',
};

/**
 * What lib-storage's `Upload` sends: one PutObject while the body fits in one part, else a multipart
 * upload, which it aborts when a part or the completion fails, or the body stream does.
 */
const UPLOAD_OPERATIONS = [
  'S3:PutObject',
  'S3:CreateMultipartUpload',
  'S3:UploadPart',
  'S3:CompleteMultipartUpload',
  'S3:AbortMultipartUpload',
];

/** lib-dynamodb's document commands send these DynamoDB operations. */
const DOCUMENT_OPERATIONS: Record<string, string> = {
  Get: 'GetItem',
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  BatchGet: 'BatchGetItem',
  BatchWrite: 'BatchWriteItem',
  TransactGet: 'TransactGetItems',
  TransactWrite: 'TransactWriteItems',
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Imported name -> package, for the `@aws-sdk/*` and direct-commands imports of one file. */
function sdkImports(text: string): Map<string, string> {
  const imports = new Map<string, string>();
  for (const [, names, from] of text.matchAll(
    /import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'(@aws-sdk\/[^']+|[./]+(?:[\w-]+\/)*direct-commands)'/g,
  )) {
    const pkg = from.endsWith(DIRECT_COMMANDS) ? DIRECT_COMMANDS : from;
    for (const name of names.split(','))
      imports.set(
        name
          .replace(/^\s*type\s+/, '')
          .split(/\s+as\s+/)[0]
          .trim(),
        pkg,
      );
  }
  return imports;
}

export class UnknownClientError extends Error {}

export function scanCallSites(root: string, dir = 'lambda'): CallSite[] {
  const sites: CallSite[] = [];
  for (const path of sourceFiles(join(root, dir))) {
    const text = readFileSync(path, 'utf8');
    const file = relative(root, path);
    const imports = sdkImports(text);
    const clientOf = (name: string): string => {
      const pkg = imports.get(name);
      const client = pkg && CLIENT_OF_PACKAGE[pkg];
      if (!client) throw new UnknownClientError(`${file}: ${name} comes from ${pkg ?? 'an unknown module'}`);
      return client;
    };
    for (const [, name] of text.matchAll(/new\s+(\w+)Command\s*\(/g)) {
      const pkg = imports.get(`${name}Command`);
      const operation =
        pkg === '@aws-sdk/lib-dynamodb'
          ? (DOCUMENT_OPERATIONS[name] ?? name)
          : pkg === DIRECT_COMMANDS
            ? name.replace(/^Direct/, '')
            : name;
      sites.push({ file, call: `${clientOf(`${name}Command`)}:${operation}` });
    }
    for (const [, operation] of text.matchAll(/\bpaginate(\w+)\s*\(/g))
      sites.push({ file, call: `${clientOf(`paginate${operation}`)}:${operation}` });
    if (/\bnew\s+Upload\s*\(/.test(text)) sites.push(...UPLOAD_OPERATIONS.map((call) => ({ file, call })));
  }
  return sites;
}

/**
 * SDK clients built anywhere but lambda/shared/clients.ts: their calls would not be recorded, so the
 * proof could not see them. Every client must come from the factories there.
 */
export function clientsOutsideFactories(root: string, dir = 'lambda'): string[] {
  const factories = join(dir, 'shared', 'clients.ts');
  return sourceFiles(join(root, dir))
    .map((path) => relative(root, path))
    .filter((file) => file !== factories)
    .flatMap((file) =>
      [
        ...readFileSync(join(root, file), 'utf8').matchAll(/new\s+(\w+Client)\s*\(|(\w+Client)\.from\s*\(/g),
      ].map(
        (m) =>
          `${file}: ${m[1] ?? m[2]} is built outside lambda/shared/clients.ts, so its calls are not recorded`,
      ),
    );
}
