/**
 * The dashboard's server: JSON endpoints and the event stream of changes. Every string received is
 * {@link parsePrintable printable}: trainers' reasons and addresses and run names carry no control
 * character (bidi overrides included) into the page.
 */
import { parsePrintable } from './format.js';

/** GET `path` as JSON; throws with the server's error message on a failure. */
export async function getJson(path) {
  const response = await fetch(path, { credentials: 'same-origin' });
  const body = await response
    .text()
    .then(parsePrintable)
    .catch(() => ({}));
  if (!response.ok) throw new Error(body.error ?? `${path}: HTTP ${response.status}`);
  return body;
}

/**
 * Listens to the server's changes: `onChange(change)` per changed run, `onRuns()` when the list of
 * runs grew, `onStatus(connected)` as the stream opens and drops (the browser reconnects by itself).
 */
export function listen({ onChange, onRuns, onStatus }) {
  const source = new EventSource('/api/events');
  source.addEventListener('open', () => onStatus(true));
  source.addEventListener('error', () => onStatus(false));
  source.addEventListener('change', (event) => onChange(parsePrintable(event.data)));
  source.addEventListener('runs', (event) => onRuns(parsePrintable(event.data)));
  return () => source.close();
}
