/** One thing wrong with a stored run, as `nas-ctl doctor` lists it and `openRunStore` refuses it. */

/**
 * How `nas-ctl doctor --repair` mends a problem:
 *   - `rebuild`: recreate a derived table, trigger or index, recount `trial_counts` (nothing lost);
 *   - `drop-snapshots`: delete the strategy snapshots (an optimisation: the journal replays the run);
 *   - `requeue`: put the trial back in the queue (its epochs deleted), so the next resume runs it again;
 *   - `restore-finish-order`: give a finished trial that lost its finish order a free one (its
 *     reward and result are intact: running it again would only overwrite them);
 *   - `clear-field`: set an unreadable `meta`/`result` to null (the trial keeps its status and reward);
 *   - `quarantine`: move a trial that cannot be re-run (its genotype is unreadable) with its epochs
 *     to the `damaged_trials` table, and tell the strategy it failed if it was still waiting for it;
 *   - `drop-duplicate-entry`: move a journal entry repeating an earlier ask or tell of its candidate
 *     to `damaged_journal`, and drop the snapshots (they reflect one search's view of both);
 *   - `set-aside-duplicate`: move a second trial of a candidate with its epochs to `damaged_trials`
 *     (no tell: the kept trial's is in the journal), renumber the finish orders, drop the snapshots;
 *   - `fail-trial`: mark a finished trial with a reward no trainer could have earned as failed (no
 *     reward, the problem as its reason), tell the strategy journal it failed, drop the snapshots.
 */
export type Repair =
  | { readonly kind: 'rebuild' }
  | { readonly kind: 'drop-snapshots' }
  | { readonly kind: 'requeue'; readonly trialId: number }
  | { readonly kind: 'restore-finish-order'; readonly trialId: number }
  | { readonly kind: 'clear-field'; readonly trialId: number; readonly field: 'meta' | 'result' }
  | { readonly kind: 'quarantine'; readonly trialId: number }
  | { readonly kind: 'drop-duplicate-entry'; readonly seq: number }
  | { readonly kind: 'set-aside-duplicate'; readonly trialId: number }
  | { readonly kind: 'fail-trial'; readonly trialId: number };

/** A problem: where it is (table, row, field), what is wrong, and its repair (null: none). */
export interface StoreProblem {
  readonly table: string;
  /** The row, e.g. `trial 3`, `journal seq 12`, `the latest snapshot`; null for the table itself. */
  readonly row: string | null;
  readonly field: string | null;
  readonly why: string;
  readonly repair: Repair | null;
}

/** Where a problem is, in words: `table trials, trial 3, field genotype`. */
export function problemPlace(p: StoreProblem): string {
  return [`table ${p.table}`, p.row, p.field === null ? null : `field ${p.field}`]
    .filter((part) => part !== null)
    .join(', ');
}

/** One line for a person: where, what, and what `--repair` does about it. */
export function formatProblem(p: StoreProblem): string {
  return `${problemPlace(p)}: ${p.why} [${repairText(p.repair)}]`;
}

function repairText(repair: Repair | null): string {
  if (repair === null) return 'cannot be repaired: restore the run from a backup';
  switch (repair.kind) {
    case 'rebuild':
      return 'repair: recreated from the data';
    case 'drop-snapshots':
      return 'repair: snapshots dropped, the strategy journal replays the run';
    case 'requeue':
      return 'repair: re-queued, the next resume runs it again';
    case 'restore-finish-order':
      return 'repair: finish order restored, status, reward and result kept';
    case 'clear-field':
      return `repair: ${repair.field} cleared, status and reward kept`;
    case 'quarantine':
      return 'repair: moved to table damaged_trials, counted as failed by the strategy';
    case 'drop-duplicate-entry':
      return 'repair: moved to table damaged_journal, the first entry kept, snapshots dropped';
    case 'set-aside-duplicate':
      return 'repair: moved to table damaged_trials, the kept trial stands for the candidate';
    case 'fail-trial':
      return 'repair: marked failed without a reward, counted as failed by the strategy';
  }
}
