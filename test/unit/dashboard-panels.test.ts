/**
 * The dashboard's server-side pieces behind its panels: each cell as a digraph of its own, the
 * decision importance, and the ETA, which must be the search terminal view's for the same finishes.
 */
import { describe, expect, it } from 'vitest';
import { SearchProgress } from '../../controller/cli/search-progress.ts';
import { splitCellDot, cellDots } from '../../controller/dashboard/cell-dots.ts';
import type { DashboardTrial } from '../../controller/dashboard/dashboard-types.ts';
import { decisionImportance, MIN_TRIALS } from '../../controller/dashboard/decision-importance.ts';
import { RunModel } from '../../controller/dashboard/run-model.ts';
import { runOverview } from '../../controller/dashboard/run-overview.ts';
import type { Genotype } from '../../shared/genotype.ts';
import { NASNET_A } from '../../shared/known-genotypes.ts';
import { renderGenotypeDot } from '../../shared/render.ts';
import { testConfig } from '../fixtures/run-store-fixtures.ts';
import { finished, LOAD, START, started, T0 } from '../fixtures/search-view-events.ts';

describe('cellDots', () => {
  it('gives each cell a digraph of its own holding only that cell, normal and reduction', () => {
    const cells = cellDots(NASNET_A, 'trial 7');
    for (const [name, other] of [
      ['normal', 'reduction'],
      ['reduction', 'normal'],
    ] as const) {
      const dot = cells[name];
      expect(dot.startsWith('digraph "trial 7" {\n  rankdir=LR;')).toBe(true);
      expect(dot.trimEnd().endsWith('}')).toBe(true);
      expect(dot).toContain(`label="${name} cell"`);
      expect(dot).not.toContain(`"${other}_`);
      // Every node and edge line of the cell's cluster is kept.
      const all = renderGenotypeDot(NASNET_A, 'trial 7');
      const lines = all.split('\n').filter((l) => l.includes(`"${name}_`));
      for (const line of lines) expect(dot).toContain(line);
    }
    expect(splitCellDot('digraph "x" {\n}\n').normal).toBe('digraph "x" {\n}\n');
  });
});

/** NASNet-A with normal block 0's op A replaced by `op`. */
function withOpA(op: Genotype['normal']['blocks'][number]['opA']): Genotype {
  const [first, ...rest] = NASNET_A.normal.blocks;
  if (first === undefined) throw new Error('NASNet-A has blocks');
  return { ...NASNET_A, normal: { ...NASNET_A.normal, blocks: [{ ...first, opA: op }, ...rest] } };
}

describe('decisionImportance', () => {
  it('ranks first the decision whose choices score furthest apart, with counts and deltas', () => {
    const scored = [
      { genotype: withOpA('sep_conv_3x3'), reward: 0.9 },
      { genotype: withOpA('sep_conv_3x3'), reward: 0.8 },
      { genotype: withOpA('max_pool_3x3'), reward: 0.5 },
      { genotype: withOpA('max_pool_3x3'), reward: 0.4 },
      // One trial alone does not rank its choice: it shows but is not in the spread.
      { genotype: withOpA('identity'), reward: 0.1 },
    ];
    const table = decisionImportance(scored);
    expect(table.trials).toBe(5);
    expect(table.meanReward).toBeCloseTo(0.54);
    expect(table.minTrials).toBe(MIN_TRIALS);
    const [top, next] = table.decisions;
    expect(top).toMatchObject({ cell: 'normal', block: 0, decision: 'opA' });
    expect(top?.spread).toBeCloseTo(0.4);
    expect(top?.choices.map((c) => [c.choice, c.trials])).toEqual([
      ['sep_conv_3x3', 2],
      ['max_pool_3x3', 2],
      ['identity', 1],
    ]);
    expect(top?.choices[0]?.delta).toBeCloseTo(0.85 - 0.54);
    // Every other decision made one choice in all trials: no spread.
    expect(next?.spread).toBe(0);
    expect(table.decisions).toHaveLength(2 * 5 * 5);
    // Inputs by their state labels.
    expect(table.decisions.find((d) => d.decision === 'inputA')?.choices[0]?.choice).toMatch(
      /^(h_i|h_\{i-1\}|s\d)$/,
    );
  });

  it('has nothing to say without a succeeded trial', () => {
    expect(decisionImportance([])).toEqual({
      trials: 0,
      meanReward: null,
      minTrials: MIN_TRIALS,
      decisions: [],
    });
  });
});

/** A finished trial row as the dashboard reads it. */
function trial(id: number, createdAt: number, finishedAt: number): DashboardTrial {
  return {
    id,
    candidateId: id,
    status: 'succeeded',
    reward: 0.5,
    params: null,
    multAdds: null,
    latencyMs: null,
    seconds: null,
    trainer: 't:1',
    backend: null,
    device: null,
    hash: `h${id}`,
    attempts: 1,
    reason: '',
    createdAt,
    startedAt: createdAt,
    finishedAt,
    finishOrder: id,
    epoch: 2,
    validationAccuracy: 0.5,
    imagesPerSecond: 100 * id,
  };
}

describe('the overview', () => {
  it('gives the ETA the search terminal view gives for the same finishes', () => {
    const t0 = T0;
    const ends = [t0 + 20_000, t0 + 35_000, t0 + 70_000];
    const model = new RunModel(null);
    model.apply(ends.map((end, i) => ({ trial: trial(i + 1, t0, end), meta: '{}' })));
    const progress = new SearchProgress({ ...START, startedAt: t0 });
    ends.forEach((_, i) => {
      progress.apply(started(i + 1), LOAD);
      progress.apply(finished(i + 1, 0.5), LOAD);
    });
    const now = t0 + 90_000;
    const overview = runOverview(model, {
      run: 0,
      dir: '/runs/a',
      config: { ...testConfig('random', 1), createdAt: t0, schemaVersion: 1 },
      maxTrials: 10,
      epochs: 2,
      model: false,
      live: [{ address: 't:1', running: 0, capacity: 1, down: false }],
      dotOf: () => '',
      cellsOf: () => ({ normal: '', reduction: '' }),
      now,
    });
    expect(overview.etaMs).toBeCloseTo(progress.status(now).etaMs ?? Number.NaN);
    expect(overview.trainers[0]).toMatchObject({ finished: 3, failed: 0, imagesPerSecond: 200 });
  });
});
