/**
 * The files the dashboard serves: its page (controller/dashboard/page/) and the two libraries it
 * draws with, uPlot (charts) and Viz.js (Graphviz compiled to WebAssembly, for the cells), from the
 * installed packages. A fixed map from URL path to file: no path from a request ever reaches the
 * file system, so nothing else can be read through it. Nothing comes from a CDN: the page works
 * offline.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { packagePath } from '../../runtime/package-path.ts';

/** One served file. */
export interface StaticFile {
  readonly path: string;
  readonly type: string;
}

const require = createRequire(import.meta.url);
const page = (name: string): string => packagePath('controller', 'dashboard', 'page', name);
const JS = 'text/javascript; charset=utf-8';

/** URL path -> file. */
export const STATIC_FILES: ReadonlyMap<string, StaticFile> = new Map([
  ['/', { path: page('index.html'), type: 'text/html; charset=utf-8' }],
  ['/style.css', { path: page('style.css'), type: 'text/css; charset=utf-8' }],
  ...[
    'app',
    'api',
    'format',
    'overview',
    'charts',
    'trial-table',
    'trial-view',
    'signal-chart',
    'cells',
    'curves-chart',
    'importance',
    'links',
    'parallel',
    'run-settings',
    'settings-differences',
    'trainers',
  ].map((name): [string, StaticFile] => [`/${name}.js`, { path: page(`${name}.js`), type: JS }]),
  ['/lib/uplot.js', { path: require.resolve('uplot/dist/uPlot.esm.js'), type: JS }],
  [
    '/lib/uplot.css',
    { path: require.resolve('uplot/dist/uPlot.min.css'), type: 'text/css; charset=utf-8' },
  ],
  // The package's ES module build (its "default" export), beside the CommonJS one require finds.
  ['/lib/viz.js', { path: join(dirname(require.resolve('@viz-js/viz')), 'viz.js'), type: JS }],
]);

const cache = new Map<string, Buffer>();

/** The file served at URL path `path` and its bytes, or null when none is. Read once, then cached. */
export async function staticFile(path: string): Promise<{ file: StaticFile; body: Buffer } | null> {
  const file = STATIC_FILES.get(path);
  if (file === undefined) return null;
  let body = cache.get(path);
  if (body === undefined) {
    body = await readFile(file.path);
    cache.set(path, body);
  }
  return { file, body };
}
