/**
 * Links to one trial: `#trial=<id>` for the first run, `#trial=<id>&run=<run>` for another (`run`
 * counts the dashboard's runs from 0, as its endpoints do).
 */

/** The address fragment that opens trial `id` of run `run`. */
export function trialLink(run, id) {
  return run === 0 ? `#trial=${id}` : `#trial=${id}&run=${run}`;
}

/** The { run, id } a fragment names, or null when it names no trial. */
export function parseTrialLink(hash) {
  const params = new window.URLSearchParams(hash.replace(/^#/, ''));
  const id = params.get('trial');
  const run = params.get('run') ?? '0';
  if (id === null || !/^\d+$/.test(id) || !/^\d+$/.test(run)) return null;
  return { run: Number(run), id: Number(id) };
}
