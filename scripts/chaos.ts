/**
 * `npm run chaos`: a fault-injection campaign against real processes. It starts real trainers and
 * real `nas-ctl search` processes in temporary folders and, for a number of rounds, kills and
 * interrupts searches (then resumes them), freezes and kills trainers mid-trial, sends a trainer a
 * bad trial, lets a hostile trainer answer a search, starts a second controller on a running
 * search's run and fills the disk under one, checking each fault's invariant. Each fault is timed
 * against the progress it observes, and a round whose fault could not be injected is tried again.
 * Prints a table (fault | asked | tried | held | failed | missed | notes) and exits 1 when any round
 * failed or any fault was injected fewer times than asked, 2 on a bad flag. Every process it
 * started, every folder it made and every file system it mounted are gone at the end, also on Ctrl-C.
 * Run: npm run chaos -- [--quick] [--rounds N] [--seed N] [--budget N] [--retries N] [--faults ...]
 */
import { runCampaign } from './chaos/campaign.ts';
import { ChaosOptionError, parseChaosOptions, USAGE, type ChaosOptions } from './chaos/options.ts';
import { ProcessRegistry } from './chaos/processes.ts';
import { campaignVerdict, formatTable } from './chaos/report.ts';

const log = (line: string): void => void process.stderr.write(`${line}\n`);

function options(): ChaosOptions {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  try {
    return parseChaosOptions(argv);
  } catch (err) {
    if (!(err instanceof ChaosOptionError)) throw err;
    log(`chaos: ${err.message}\n${USAGE}`);
    process.exit(2);
  }
}

async function main(): Promise<number> {
  const chosen = options();
  const registry = new ProcessRegistry();
  const stop = (signal: NodeJS.Signals): void => {
    log(`chaos: ${signal}: stopping every process it started`);
    registry.cleanUp();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  process.once('exit', () => registry.cleanUp());
  const started = Date.now();
  try {
    const rows = await runCampaign(chosen, registry, log);
    process.stdout.write(`\n${formatTable(rows)}\n`);
    log(`chaos: ${((Date.now() - started) / 60_000).toFixed(1)} minutes, seed ${chosen.seed}`);
    const verdict = campaignVerdict(rows);
    for (const reason of verdict.reasons) log(`chaos: FAILED: ${reason}`);
    return verdict.code;
  } finally {
    registry.cleanUp();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    log(`chaos: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
