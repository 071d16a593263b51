/**
 * Which decisions of the search space matter, from the trials alone: for each decision of each
 * block of each cell (input A, op A, input B, op B, combine), the mean reward of the succeeded
 * trials that made each choice, set against the mean of all of them. A decision whose choices'
 * means lie far apart (its spread) moved the reward; one whose choices all score alike did not.
 * Only choices seen in at least {@link MIN_TRIALS} trials count towards the spread, so one lucky
 * trial does not rank a decision first. This is a marginal, per-decision view (like the per-
 * parameter importance of hyperparameter dashboards, without a fitted model): it ignores how
 * decisions interact, and a strategy that samples its favourite choices more often is read as it
 * sampled them.
 */
import { CELL_NAMES, stateLabel, type CellName, type Genotype } from '../../shared/genotype.ts';

/** Choices seen in fewer trials than this are listed but do not count towards a spread. */
export const MIN_TRIALS = 2;

/** The decisions of one block, in the order the page lists them. */
export const DECISIONS = ['inputA', 'opA', 'inputB', 'opB', 'combine'] as const;

/** One decision's name. */
export type Decision = (typeof DECISIONS)[number];

/** One choice of a decision: how many succeeded trials made it and their mean reward. */
export interface ChoiceReward {
  readonly choice: string;
  readonly trials: number;
  readonly meanReward: number;
  /** meanReward less the mean of every succeeded trial. */
  readonly delta: number;
}

/** One decision at one place: its choices, best mean first, and their spread. */
export interface DecisionImportance {
  readonly cell: CellName;
  readonly block: number;
  readonly decision: Decision;
  /** Highest less lowest mean reward among choices of at least MIN_TRIALS trials; 0 when under two. */
  readonly spread: number;
  readonly choices: readonly ChoiceReward[];
}

/** Every decision's importance, largest spread first, and the mean it is measured against. */
export interface ImportanceTable {
  readonly trials: number;
  readonly meanReward: number | null;
  readonly minTrials: number;
  readonly decisions: readonly DecisionImportance[];
}

/** One succeeded trial: what it chose and what it scored. */
export interface ScoredGenotype {
  readonly genotype: Genotype;
  readonly reward: number;
}

/** The importance of every decision over `scored` (the succeeded trials of one run). */
export function decisionImportance(scored: readonly ScoredGenotype[]): ImportanceTable {
  if (scored.length === 0)
    return { trials: 0, meanReward: null, minTrials: MIN_TRIALS, decisions: [] };
  const mean = scored.reduce((sum, s) => sum + s.reward, 0) / scored.length;
  const groups = new Map<string, { cell: CellName; block: number; decision: Decision }>();
  const sums = new Map<string, Map<string, { n: number; sum: number }>>();
  for (const { genotype, reward } of scored) {
    for (const cell of CELL_NAMES) {
      genotype[cell].blocks.forEach((block, b) => {
        for (const decision of DECISIONS) {
          const key = `${cell}/${b}/${decision}`;
          groups.set(key, { cell, block: b, decision });
          const choices = sums.get(key) ?? new Map<string, { n: number; sum: number }>();
          sums.set(key, choices);
          const choice = choiceLabel(block[decision]);
          const tally = choices.get(choice) ?? { n: 0, sum: 0 };
          tally.n += 1;
          tally.sum += reward;
          choices.set(choice, tally);
        }
      });
    }
  }
  const decisions = [...groups].map(([key, place]) => {
    const choices = [...(sums.get(key) ?? [])]
      .map(([choice, t]) => ({
        choice,
        trials: t.n,
        meanReward: t.sum / t.n,
        delta: t.sum / t.n - mean,
      }))
      .sort((a, b) => b.meanReward - a.meanReward || b.trials - a.trials);
    return { ...place, spread: spread(choices), choices };
  });
  decisions.sort(
    (a, b) =>
      b.spread - a.spread ||
      CELL_NAMES.indexOf(a.cell) - CELL_NAMES.indexOf(b.cell) ||
      a.block - b.block ||
      DECISIONS.indexOf(a.decision) - DECISIONS.indexOf(b.decision),
  );
  return { trials: scored.length, meanReward: mean, minTrials: MIN_TRIALS, decisions };
}

function spread(choices: readonly ChoiceReward[]): number {
  const means = choices.filter((c) => c.trials >= MIN_TRIALS).map((c) => c.meanReward);
  return means.length < 2 ? 0 : Math.max(...means) - Math.min(...means);
}

/** The choice `genotype` made at `place`, as the table names it (null: the cell has no such block). */
export function choiceAt(
  genotype: Genotype,
  place: Pick<DecisionImportance, 'cell' | 'block' | 'decision'>,
): string | null {
  const block = genotype[place.cell].blocks[place.block];
  return block === undefined ? null : choiceLabel(block[place.decision]);
}

/** Inputs by the state labels the cell tables use (h_i, h_{i-1}, s2, ...); ops and combines by name. */
function choiceLabel(value: string | number): string {
  return typeof value === 'number' ? stateLabel(value) : value;
}
