/**
 * A genotype's two cells drawn by Graphviz (Viz.js, WebAssembly), each on its own and normal first,
 * at their own size (11 pt labels) at most and shrunk to the width there is down to MIN_SCALE (a
 * wider cell scrolls sideways), so the labels read. Clicking a cell opens it enlarged in a dialog,
 * fitted to the window.
 */
import { instance } from '/lib/viz.js';
import { el } from './format.js';

let viz = null;

/** The cells in the order they are shown. */
const CELLS = ['normal', 'reduction'];

/** Draws `cells` ({ normal, reduction }: DOT digraphs) into `container`, labelled for `title`. */
export async function drawCells(container, cells, title) {
  viz ??= instance();
  const graphviz = await viz;
  const figures = CELLS.map((name) => {
    const svg = sized(graphviz.renderSVGElement(cells[name]));
    const figure = el(
      'figure',
      {
        class: 'cell',
        'data-cell': name,
        tabindex: 0,
        role: 'button',
        title: `${name} cell: click to enlarge`,
      },
      svg,
    );
    const open = () => enlarge(graphviz.renderSVGElement(cells[name]), `${title}: ${name} cell`);
    figure.addEventListener('click', open);
    figure.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        open();
      }
    });
    return figure;
  });
  container.replaceChildren(...figures);
}

/** The least a cell is shrunk to: 11 pt labels stay 11 px or more; a wider cell scrolls. */
export const MIN_SCALE = 0.75;

/**
 * `svg` as wide as the space there is, between {@link MIN_SCALE} and 1 times its own width
 * (Graphviz writes it in points: 4/3 px each).
 */
function sized(svg) {
  const points = parseFloat(svg.getAttribute('width') ?? '');
  if (Number.isFinite(points) && points > 0) {
    const px = (points * 4) / 3;
    svg.style.width = `min(${px}px, max(100%, ${px * MIN_SCALE}px))`;
  }
  return svg;
}

/** Shows `svg` in the page's cell dialog, as wide as the window allows. */
function enlarge(svg, caption) {
  const dialog = document.getElementById('cell-dialog');
  dialog.querySelector('h2').textContent = caption;
  dialog.querySelector('.cell-large').replaceChildren(svg);
  if (!dialog.open) dialog.showModal();
}

/** Wires the dialog's close button and a click on its backdrop. */
export function setUpCellDialog() {
  const dialog = document.getElementById('cell-dialog');
  dialog.querySelector('button').addEventListener('click', () => dialog.close());
  dialog.addEventListener('click', (event) => {
    if (event.target === dialog) dialog.close();
  });
}
