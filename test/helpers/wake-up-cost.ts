/**
 * The machine's price of waking up, for reading idle-CPU figures: a child process that does nothing but wake once a
 * second reports its own CPU use as % of one core.
 *
 * Why: with tick-based CPU accounting on a virtual machine, what a wake-up is charged depends on the host. On a
 * quiet host this child uses ~0.01 %; on a contended one we measured 0.5 % (50× more) with idle figures of the
 * control plane rising alike. Printing it beside an idle figure tells the two situations apart.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const CHILD = `
const seconds = Number(process.argv[1]);
const start = process.cpuUsage(), t0 = performance.now();
let n = 0;
const timer = setInterval(() => {
  if (++n < seconds) return;
  clearInterval(timer);
  const used = process.cpuUsage(start);
  console.log(((used.user + used.system) / 10 / (performance.now() - t0)).toFixed(3));
}, 1000);
`;

/** CPU of a process waking once a second for `seconds`, in % of one core. */
export async function wakeUpCostPercent(seconds = 10): Promise<number> {
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', CHILD, String(seconds)]);
  return Number(stdout.trim());
}
