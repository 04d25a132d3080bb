/**
 * Benchmark runner: `npm run bench -- <name> [args]` = `node dist/test/bench/run.js <name> [args]` imports
 * `./<name>.js` (next to this file) and awaits its exported `run(args)`. An unknown or missing name lists the
 * available benchmarks and exits 2.
 */
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface Benchmark {
  run(args: string[]): Promise<void>;
}

const here = dirname(fileURLToPath(import.meta.url));

/** Every compiled module beside the runner is a benchmark. */
export function availableBenchmarks(): string[] {
  return readdirSync(here)
    .filter((f) => f.endsWith('.js') && f !== 'run.js')
    .map((f) => f.slice(0, -'.js'.length))
    .sort();
}

function usage(): string {
  return `usage: npm run bench -- <name> [args]\n\navailable benchmarks:\n${availableBenchmarks().map((n) => `  ${n}\n`).join('')}`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h') {
    process.stderr.write(usage());
    return name ? 0 : 2;
  }
  if (!availableBenchmarks().includes(name)) {
    process.stderr.write(`unknown benchmark "${name}"\n\n${usage()}`);
    return 2;
  }
  const mod = (await import(pathToFileURL(`${here}/${name}.js`).href)) as Partial<Benchmark>;
  if (typeof mod.run !== 'function') {
    process.stderr.write(`benchmark "${name}" does not export run(args)\n`);
    return 2;
  }
  await mod.run(args);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
