/** Provenance recorded in every report: the compiled pack's content hash and the git commit. */
import { createHash } from 'node:crypto';
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

function walk(dir: string, root: string, out: string[]): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, root, out);
    else if (/\.(js|json|ya?ml)$/.test(entry.name) && !entry.name.endsWith('.map'))
      out.push(path.relative(root, full));
  }
}

/**
 * SHA-256 over what the CLI actually runs: the manifest files and every compiled file under the
 * directory of package.json's `main` (relative path and content, in a stable order).
 */
export function packContentHash(packDir: string): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(packDir, 'package.json'), 'utf8')) as { main?: string };
  const mainDir = path.dirname(path.join(packDir, pkg.main ?? 'index.js'));
  const files: string[] = [];
  walk(mainDir, packDir, files);
  for (const f of ['package.json', 'PulumiPolicy.yaml']) if (!files.includes(f)) files.push(f);
  const hash = createHash('sha256');
  for (const f of files.sort()) {
    hash.update(`${f}\0`);
    hash.update(fs.readFileSync(path.join(packDir, f)));
    hash.update('\0');
  }
  return `sha256:${hash.digest('hex')}`;
}

const commits = new Map<string, string | undefined>();

/**
 * `HEAD`'s commit, with `+dirty` when the work tree has changes; undefined outside git. Read once
 * per process (git status walks the whole tree), so repeated gate runs in one process share it.
 */
export function gitCommit(cwd: string): string | undefined {
  if (!commits.has(cwd)) commits.set(cwd, readGitCommit(cwd));
  return commits.get(cwd);
}

function readGitCommit(cwd: string): string | undefined {
  try {
    const opts = {
      cwd,
      encoding: 'utf8' as const,
      stdio: ['ignore', 'pipe', 'ignore'] as ['ignore', 'pipe', 'ignore'],
    };
    const head = execFileSync('git', ['rev-parse', 'HEAD'], opts).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], opts).trim().length > 0;
    return dirty ? `${head}+dirty` : head;
  } catch {
    return undefined;
  }
}

const pendingCommits = new Map<string, Promise<string | undefined>>();

/**
 * `gitCommit` without blocking: the gate starts it before the analysis and awaits it after, so
 * the two git processes run while the pack works. Shares the per-process cache with `gitCommit`.
 */
export function gitCommitAsync(cwd: string): Promise<string | undefined> {
  if (commits.has(cwd)) return Promise.resolve(commits.get(cwd));
  let p = pendingCommits.get(cwd);
  if (!p) {
    const git = (args: string[]) =>
      new Promise<string>((resolve, reject) =>
        execFile('git', args, { cwd, encoding: 'utf8' }, (err, out) => (err ? reject(err) : resolve(out))),
      );
    p = Promise.all([git(['rev-parse', 'HEAD']), git(['status', '--porcelain'])]).then(
      ([head, status]) => (status.trim().length > 0 ? `${head.trim()}+dirty` : head.trim()),
      () => undefined,
    );
    p.then((c) => {
      commits.set(cwd, c);
      pendingCommits.delete(cwd);
    });
    pendingCommits.set(cwd, p);
  }
  return p;
}
