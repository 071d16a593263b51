/** One trial in detail: its facts, epoch curves and both cells drawn by Graphviz (Viz.js, WebAssembly). */
import { instance } from '/lib/viz.js';
import { getJson } from './api.js';
import { drawEpochs } from './charts.js';
import { count, el, fixed, percent } from './format.js';

let viz = null;

/** Draws the Graphviz `dot` as SVG into `container`. */
export async function drawCells(container, dot) {
  viz ??= instance();
  const svg = (await viz).renderSVGElement(dot);
  container.replaceChildren(svg);
}

/** Shows trial `id` of run `run` (label `label`) in the side panel. */
export async function openTrial(run, id, label) {
  const view = document.getElementById('trial-view');
  view.hidden = false;
  view.dataset.run = String(run);
  view.dataset.trial = String(id);
  document.getElementById('trial-title').textContent = `${label} · trial ${id}`;
  const detail = await getJson(`/api/runs/${run}/trials/${id}`);
  if (view.dataset.trial !== String(id) || view.dataset.run !== String(run)) return;
  renderFacts(detail.trial);
  const epochs = document.getElementById('chart-epochs');
  if (detail.epochs.length === 0)
    epochs.replaceChildren(el('p', { class: 'muted' }, 'no epoch finished yet'));
  else drawEpochs(epochs, detail.epochs);
  await drawCells(document.getElementById('trial-cells'), detail.dot);
}

/** Hides the side panel. */
export function closeTrial() {
  const view = document.getElementById('trial-view');
  view.hidden = true;
  delete view.dataset.trial;
}

function renderFacts(t) {
  const facts = [
    ['status', t.status + (t.reason ? `: ${t.reason}` : '')],
    ['reward', percent(t.reward)],
    ['parameters', count(t.params)],
    ['mult-adds', count(t.multAdds)],
    ['latency', t.latencyMs === null ? '–' : `${fixed(t.latencyMs, 2)} ms (batch 1)`],
    ['training', t.seconds === null ? '–' : `${fixed(t.seconds, 1)} s`],
    ['trainer', [t.trainer, t.backend, t.device].filter((x) => x !== null).join(' · ') || '–'],
    ['attempts', t.attempts],
    ['hash', t.hash],
  ];
  document
    .getElementById('trial-facts')
    .replaceChildren(...facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
}
