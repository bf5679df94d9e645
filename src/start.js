// The entry `npm start` runs. Plain JavaScript that parses on any Node, so an older Node gets
// one line naming the version Herald needs instead of a loader error about ".ts" files.
import process from 'node:process';

/** The first Node that runs TypeScript files directly (type stripping on by default). */
const NEEDED = [22, 18];

/** One line for a Node too old to run Herald, or undefined when it will do. */
function nodeVersionProblem(version) {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  const [neededMajor, neededMinor] = NEEDED;
  if (major > neededMajor || (major === neededMajor && minor >= neededMinor)) return undefined;
  return `herald: Node.js ${neededMajor}.${neededMinor} or newer is needed (this is ${version}); Node 24 LTS is recommended.`;
}

const problem = nodeVersionProblem(process.version);
if (problem) {
  process.stderr.write(`${problem}\n`);
  process.exitCode = 1;
} else {
  const { main } = await import('./main.ts');
  process.exitCode = await main(process.argv.slice(2));
}
