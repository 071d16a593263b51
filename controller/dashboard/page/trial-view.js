/**
 * One trial in detail, in a panel laid over the page's right side (the table keeps its width): its
 * facts, epoch curves, both cells and a download of its genotype.
 */
import { getJson } from './api.js';
import { drawCells } from './cells.js';
import { drawEpochs } from './charts.js';
import { count, el, fixed, percent } from './format.js';

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
  const genotype = document.getElementById('trial-genotype');
  genotype.href = `/api/runs/${run}/trials/${id}/genotype.json`;
  const epochs = document.getElementById('chart-epochs');
  if (detail.epochs.length === 0)
    epochs.replaceChildren(el('p', { class: 'muted' }, 'no epoch finished yet'));
  else drawEpochs(epochs, detail.epochs);
  await drawCells(document.getElementById('trial-cells'), detail.cells, `${label} · trial ${id}`);
}

/** Hides the side panel. */
export function closeTrial() {
  const view = document.getElementById('trial-view');
  view.hidden = true;
  delete view.dataset.trial;
  delete view.dataset.run;
}

function renderFacts(t) {
  const facts = [
    ['status', t.status + (t.reason ? `: ${t.reason}` : '')],
    ['reward', percent(t.reward)],
    ['last epoch', t.epoch === null ? '–' : `${t.epoch}, ${percent(t.validationAccuracy)}`],
    ['parameters', count(t.params)],
    ['mult-adds', count(t.multAdds)],
    ['latency', t.latencyMs === null ? '–' : `${fixed(t.latencyMs, 2)} ms (batch 1)`],
    ['training', t.seconds === null ? '–' : `${fixed(t.seconds, 1)} s`],
    ['throughput', t.imagesPerSecond === null ? '–' : `${fixed(t.imagesPerSecond, 0)} images/s`],
    ['trainer', [t.trainer, t.backend, t.device].filter((x) => x !== null).join(' · ') || '–'],
    ['attempts', t.attempts],
    ['hash', t.hash],
  ];
  document
    .getElementById('trial-facts')
    .replaceChildren(...facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
}
