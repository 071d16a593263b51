/** bench:train's PyTorch lines: the reference on every core and the best tfjs figure over it. */
import { NASNET_A } from '../shared/known-genotypes.ts';
import { planNetwork } from '../shared/network-plan.ts';
import { DEFAULT_TRAINING } from '../shared/training-settings.ts';
import { BATCH_NORM_SETTINGS } from '../trainer/network/batch-norm.ts';
import { NETWORK } from './bench-networks.ts';
import { exportPlan } from './network-plan-json.ts';
import { runPytorchReference } from './pytorch-reference.ts';

/** The ratio to PyTorch the issue asks of the best tfjs figure. */
const PYTORCH_TARGET = 0.8;

/** How the reference trains: as the tfjs workers do. */
export interface ComparisonRun {
  readonly steps: number;
  readonly warmup: number;
  readonly threads: number;
  readonly batch: number;
}

/** Trains NETWORK with PyTorch and prints its rate and `bestTfjs` as a ratio of it. */
export async function comparePytorch(
  bestTfjs: number | undefined,
  run: ComparisonRun,
): Promise<void> {
  const plan = planNetwork(NASNET_A, NETWORK);
  const exported = exportPlan(plan, {
    name: 'NASNet-A 2@384',
    batchNorm: BATCH_NORM_SETTINGS[plan.settings.skeleton],
    training: { ...DEFAULT_TRAINING, batchSize: run.batch },
  });
  const { steps, warmup, threads } = run;
  const outcome = await runPytorchReference(exported, { steps, warmup, threads });
  if (outcome.kind === 'unavailable') {
    console.log(`pytorch  not available here (pip install torch)`);
    return;
  }
  if (outcome.kind === 'failed') {
    console.log(`pytorch  failed: ${outcome.message}`);
    process.exitCode = 1;
    return;
  }
  const { report } = outcome;
  const used = `${report.threads} thread${report.threads === 1 ? '' : 's'}`;
  console.log(
    `pytorch  ${report.imagesPerSecond.toFixed(2)} images/s (${used}, torch ${report.torch}; ${report.params} params, as planned)`,
  );
  if (bestTfjs === undefined) return;
  const ratio = (bestTfjs / report.imagesPerSecond).toFixed(2);
  console.log(`best tfjs aggregate / pytorch: ${ratio} (target ${PYTORCH_TARGET})`);
}
