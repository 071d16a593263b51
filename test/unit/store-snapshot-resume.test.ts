/**
 * Resuming a run whose stored snapshot does not read back: written through the real SQLite store
 * (as a damaged, hand-edited or foreign run directory would hold it), the resume fails with one line
 * naming the run directory and the path of the bad field, before any trainer is contacted.
 */
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NEVER } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../proto/trainer-info.ts';
import { genotypeHash } from '../../shared/canonical.ts';
import { parseDatasetSpec } from '../../shared/dataset-spec.ts';
import { DEFAULT_SPACE, NASNET_SPACE, type SearchSpace } from '../../shared/search-space.ts';
import { DEFAULT_TRAINING } from '../../shared/training-settings.ts';
import { restoreStrategy } from '../../controller/search/restore-strategy.ts';
import { openSearch, type TrainerSource } from '../../controller/search/search-session.ts';
import {
  createStrategy,
  defaultStrategyConfig,
  type Candidate,
  type SearchSnapshot,
  type StrategyName,
} from '../../controller/strategies/strategy.ts';
import {
  CorruptRunError,
  createRunStore,
  openRunStore,
  RUN_FILE,
} from '../../controller/store/index.ts';
import { testConfig } from '../fixtures/run-store-fixtures.ts';
import { hostTargets } from '../../controller/fleet/trainer-target.ts';

const RANDOM = defaultStrategyConfig('random', 1);

/** One trainer that is never asked to train: the resumes under test fail before. */
const TRAINERS: TrainerSource = {
  targets: hostTargets(['127.0.0.1:50051']),
  connect: ({ address }) => ({
    address,
    info: () =>
      Promise.resolve({
        capacity: 1,
        running: 0,
        backend: 'cpu',
        device: 'none',
        protocolVersion: PROTOCOL_VERSION,
        cellsearchVersion: '0.0.0',
        maxMemoryBytes: null,
      }),
    trial: () => NEVER,
    // What a trainer answers for the runs' default synthetic dataset.
    checkDataset: () =>
      Promise.resolve({
        image: { height: 32, width: 32, channels: 3 },
        classes: 10,
        trainCount: 5000,
        testCount: 1000,
      }),
    close: () => undefined,
  }),
};

/** A new run directory of `strategy` over `space`, created by the search itself and closed. */
async function newRun(strategy: StrategyName, space: SearchSpace): Promise<string> {
  const dir = join(mkdtempSync(join(tmpdir(), 'cellsearch-resume-')), 'run');
  const settings = {
    strategy: defaultStrategyConfig(strategy, 1),
    maxTrials: 10,
    dataset: parseDatasetSpec('synthetic'),
    network: { cells: 1, filters: 48, skeleton: 'cifar' as const, auxHead: false },
    // The default validation split (5000) would leave the synthetic dataset nothing to train on.
    training: { ...DEFAULT_TRAINING, validationSize: 500 },
    rewardEpochs: 5,
    reuseDuplicates: false,
    maxAttempts: 3,
    snapshotEvery: 20,
    medianStop: null,
  };
  const session = await openSearch(dir, { resume: false, settings, space }, TRAINERS);
  await session.close();
  return dir;
}

/** A JSON copy of a search snapshot of `strategy` over `space` with two candidates pending. */
function snapshotOf(strategy: StrategyName, space: SearchSpace): SearchSnapshot {
  const s = createStrategy(defaultStrategyConfig(strategy, 1), space);
  s.ask();
  s.ask();
  return JSON.parse(
    JSON.stringify({ version: 1, journalSeq: 0, strategy: s.snapshot() }),
  ) as SearchSnapshot;
}

/** Saves `value` as the run's latest snapshot through the run store. */
function saveSnapshot(dir: string, value: unknown): void {
  const store = openRunStore(dir);
  try {
    store.saveSnapshot(value, 0);
  } finally {
    store.close();
  }
}

async function resumeError(dir: string): Promise<Error> {
  const err: unknown = await openSearch(dir, { resume: true }, TRAINERS).then(
    () => new Error('the resume succeeded'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CorruptRunError);
  return err instanceof Error ? err : new Error(String(err));
}

describe('resuming from a stored snapshot', () => {
  it('names the run directory and the field when the snapshot was edited by hand', async () => {
    const dir = await newRun('random', DEFAULT_SPACE);
    saveSnapshot(dir, snapshotOf('random', DEFAULT_SPACE));
    const db = new Database(join(dir, RUN_FILE));
    try {
      db.prepare(
        "UPDATE snapshots SET snapshot = json_set(snapshot, '$.strategy.pending[1].genotype.normal.blocks[0].opA', 'sep_9x9')",
      ).run();
    } finally {
      db.close();
    }
    const err = await resumeError(dir);
    expect(err.message).toContain(dir);
    expect(err.message).toContain(
      'strategy.pending[1].genotype.normal.blocks[0].opA: unknown op "sep_9x9"',
    );
    expect(err.message).not.toContain('\n');
  });

  it('names each field of a snapshot of the wrong shape', async () => {
    const dir = await newRun('evolution', DEFAULT_SPACE);
    const bad = snapshotOf('evolution', DEFAULT_SPACE) as unknown as Record<string, unknown>;
    saveSnapshot(dir, {
      ...bad,
      journalSeq: -1,
      strategy: { ...(bad.strategy as object), rng: [1, 2] },
    });
    const err = await resumeError(dir);
    expect(err.message).toMatch(
      new RegExp(
        `^${escape(dir)}: cannot read the latest strategy snapshot: journalSeq: .*; strategy\\.rng`,
      ),
    );
  });

  it("rejects a genotype outside the run's search space", async () => {
    const dir = await newRun('random', NASNET_SPACE);
    const saved = snapshotOf('random', DEFAULT_SPACE);
    const block = saved.strategy.pending[0]?.genotype.normal.blocks[0];
    saveSnapshot(dir, {
      ...saved,
      strategy: {
        ...saved.strategy,
        pending: saved.strategy.pending.map((c, i) =>
          i === 0 && block !== undefined
            ? {
                ...c,
                genotype: {
                  ...c.genotype,
                  normal: {
                    blocks: [
                      { ...block, opA: 'avg_pool_5x5' },
                      ...c.genotype.normal.blocks.slice(1),
                    ],
                  },
                },
              }
            : c,
        ),
      },
    });
    const err = await resumeError(dir);
    expect(err.message).toContain(dir);
    expect(err.message).toContain(
      'strategy.pending[0].genotype.normal.blocks[0].opA: op "avg_pool_5x5" is not in search space "nasnet"',
    );
  });

  it("rejects the snapshot of another strategy than the run's", async () => {
    const dir = await newRun('evolution', DEFAULT_SPACE);
    saveSnapshot(dir, snapshotOf('random', DEFAULT_SPACE));
    const err = await resumeError(dir);
    expect(err.message).toBe(
      `${dir}: cannot read the latest strategy snapshot: strategy.name: a random snapshot, but the run's strategy is evolution; ` +
        `run \`nas-ctl doctor ${dir}\` to list the problems and \`nas-ctl doctor --repair ${dir}\` to repair them`,
    );
  });

  it('names the run directory when the snapshot row is not JSON', async () => {
    const dir = await newRun('random', DEFAULT_SPACE);
    saveSnapshot(dir, snapshotOf('random', DEFAULT_SPACE));
    const db = new Database(join(dir, RUN_FILE));
    try {
      db.prepare('UPDATE snapshots SET snapshot = \'{"journalSeq": 0, "strat\'').run();
    } finally {
      db.close();
    }
    const err = await resumeError(dir);
    expect(err.message).toMatch(
      new RegExp(
        `^${escape(dir)}: cannot read table snapshots, the latest strategy snapshot \\(id 1\\), field snapshot: .*JSON`,
      ),
    );
  });

  it('refuses a snapshot ahead of the journal or with pending candidates the run never queued', async () => {
    const ahead = await newRun('random', DEFAULT_SPACE);
    const fresh = createStrategy(RANDOM, DEFAULT_SPACE).snapshot();
    saveSnapshot(ahead, { version: 1, journalSeq: 40, strategy: fresh });
    expect((await resumeError(ahead)).message).toContain(
      'it reflects journal entry 40, but the journal ends at 0',
    );
    // A snapshot from another run: its two pending candidates have no trial here.
    const foreign = await newRun('random', DEFAULT_SPACE);
    saveSnapshot(foreign, snapshotOf('random', DEFAULT_SPACE));
    expect((await resumeError(foreign)).message).toContain(
      'strategy.pending[0]: pending candidate 1 has no trial in the run',
    );
  });

  it('restores from a good snapshot, also one written before the envelope had a version', () => {
    const store = createRunStore(
      join(mkdtempSync(join(tmpdir(), 'cellsearch-resume-')), 'run'),
      testConfig('random', 1),
    );
    try {
      const original = createStrategy(RANDOM, DEFAULT_SPACE);
      const ask = (): Candidate => {
        const c = original.ask();
        const hash = genotypeHash(c.genotype);
        store.trialQueued({ candidateId: c.id, genotype: c.genotype, hash, meta: c.meta });
        store.journal.asked(c.id);
        return c;
      };
      const first = ask();
      ask();
      original.tell(first, 0.5);
      store.journal.told(first.id, 0.5);
      // The envelope as searches wrote it before it had a version.
      store.saveSnapshot(
        { journalSeq: store.journal.position(), strategy: original.snapshot() },
        0,
      );
      ask();
      const restored = restoreStrategy(RANDOM, DEFAULT_SPACE, store);
      expect(restored.pending().map((c) => c.id)).toEqual([2, 3]);
      expect(restored.ask()).toEqual(original.ask());
    } finally {
      store.close();
    }
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
