/**
 * The dashboard's panels in chromium (playwright-core), over two real run stores served by an
 * in-process dashboard on 127.0.0.1:0: a finished random search (finished-run.ts) and an RL run
 * of 4 results with one trial still running, trained with other settings. At a 1400 px window:
 * cells drawn normal first and readable, enlarged on a click; deep links; the table keeps its width
 * when a trial opens; run settings and the runs' differing settings; downloads; decision importance;
 * all learning curves; trainers with throughput, last error and logs; the Pareto axis's ticks; the
 * run badges, ETA, a running trial's epoch and the RL panel's text for a run under one minibatch.
 * Skipped where chromium is missing, except under CI=true.
 */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SPACE } from '../../shared/search-space.ts';
import { encodeSearchSettings, parseSearchSettings } from '../../shared/search-settings.ts';
import { defaultStrategyConfig } from '../../shared/strategy-config.ts';
import { createRunStore } from '../../controller/store/index.ts';
import { startDashboard, type Dashboard } from '../../controller/dashboard/dashboard-server.ts';
import { finishedRun } from '../fixtures/finished-run.ts';
import { candidate, epochMetrics, fabricatedResult } from '../fixtures/run-store-fixtures.ts';

const CHROMIUM = process.env['NAS_CHROMIUM'] ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM) || process.env['CI'] === 'true';

/** An RL run (batch 20) with 4 finished trials, one failed, and trial 5 running after epoch 1. */
function shortRlRun(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'cellsearch-panels-')), 'rl-short');
  const settings = parseSearchSettings(
    {
      strategy: defaultStrategyConfig('rl', 3),
      maxTrials: 40,
      dataset: 'synthetic',
      network: { cells: 1, filters: 24, skeleton: 'cifar', auxHead: false },
      training: { epochs: 3 },
      reuseDuplicates: true,
    },
    'the test',
  );
  const store = createRunStore(dir, {
    strategy: 'rl',
    seed: 3,
    space: DEFAULT_SPACE,
    settings: encodeSearchSettings(settings),
  });
  try {
    for (let i = 1; i <= 4; i++) {
      const id = store.trialQueued(candidate(100 + i));
      store.trialStarted(id, '127.0.0.1:7001');
      const failed = i === 3;
      store.trialFinished(id, {
        status: failed ? 'failed' : 'succeeded',
        reward: failed ? null : 0.5 + i / 100,
        reason: failed ? 'out of memory on the trainer' : '',
        result: failed ? null : fabricatedResult(0.5 + i / 100),
      });
    }
    const running = store.trialQueued(candidate(200));
    store.trialStarted(running, '127.0.0.1:7001');
    store.trialEpoch(running, epochMetrics(1, 0.4321));
  } finally {
    store.close();
  }
  return dir;
}

let browser: Browser | null = null;
let dashboard: Dashboard | null = null;
let url = '';
let randomDir = '';

beforeAll(async () => {
  if (!available) return;
  randomDir = finishedRun(12);
  mkdirSync(join(randomDir, 'logs'));
  writeFileSync(join(randomDir, 'logs', 'trainer-1.log'), 'trainer listening\nepoch 1 done\n');
  dashboard = await startDashboard({
    access: { host: '127.0.0.1', port: 0, token: null },
    flags: { host: '--host', port: '--port' },
  });
  dashboard.addRun({ dir: randomDir });
  dashboard.addRun({ dir: shortRlRun() });
  url = dashboard.url;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});

afterAll(async () => {
  await browser?.close();
  await dashboard?.close();
});

/** A page at 1400 x 1000 on `address`, with its errors collected; waits for the trial table. */
async function open(address: string, problems: string[] = []): Promise<Page> {
  if (browser === null) throw new Error('no browser');
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('console', (m) => void (m.type() === 'error' && problems.push(m.text())));
  page.on('pageerror', (err) => problems.push(err.message));
  await page.goto(address);
  await page.waitForSelector('#trial-table td.status-succeeded');
  return page;
}

/** The numbers `expression` gives in the page (the DOM's types are not the test's: a string). */
async function numbers(page: Page, expression: string): Promise<number[]> {
  const value: unknown = await page.evaluate(expression);
  if (!Array.isArray(value)) throw new Error(`${expression}: not an array`);
  return value.map(Number);
}

/** The attribute `name` of every element `selector` matches, in document order. */
async function attributes(page: Page, selector: string, name: string): Promise<string[]> {
  const nodes = await page.locator(selector).all();
  return Promise.all(nodes.map(async (n) => (await n.getAttribute(name)) ?? ''));
}

/** The heights of the boxes of every element `selector` matches. */
function heights(page: Page, selector: string): Promise<number[]> {
  return numbers(
    page,
    `[...document.querySelectorAll(${JSON.stringify(selector)})].map((n) => n.getBoundingClientRect().height)`,
  );
}

/** The width of the first element `selector` matches. */
async function width(page: Page, selector: string): Promise<number> {
  return (await page.locator(selector).boundingBox())?.width ?? Number.NaN;
}

describe.skipIf(!available)('the dashboard panels in chromium at 1400 px', () => {
  it('draws the normal cell before the reduction cell, readable, and enlarges one on a click', async () => {
    const problems: string[] = [];
    const page = await open(url, problems);
    const card = '.run-card[data-run="0"] .best-cell';
    await page.waitForSelector(`${card} figure.cell svg`);
    const order = await attributes(page, `${card} figure.cell`, 'data-cell');
    expect(order).toEqual(['normal', 'reduction']);
    // The smallest op label as drawn: at least 10 px tall (it was about 4 px).
    const labels = await heights(page, `${card} figure.cell svg text`);
    expect(Math.min(...labels)).toBeGreaterThanOrEqual(10);
    await page.click(`${card} figure.cell[data-cell="reduction"]`);
    await page.waitForSelector('#cell-dialog[open] .cell-large svg');
    expect(await page.textContent('#cell-dialog h2')).toContain('reduction cell');
    const [big] = await heights(page, '#cell-dialog .cell-large svg text');
    expect(big).toBeGreaterThan(Math.min(...labels));
    await page.click('#cell-dialog button');
    expect(await page.$('#cell-dialog[open]')).toBeNull();
    expect(problems).toEqual([]);
    await page.close();
  });

  it('opens the trial a #trial= link names, writes the link of a trial opened, keeps the table width', async () => {
    const page = await open(`${url}#trial=3`);
    await page.waitForSelector('#trial-view:not([hidden]) #trial-cells svg');
    expect(await page.textContent('#trial-title')).toContain('trial 3');
    await page.click('#trial-close');
    const before = await width(page, '#trial-table');
    await page.click('#trial-table tbody tr[data-run="1"][data-trial="2"]');
    await page.waitForSelector('#trial-view:not([hidden])');
    expect(await page.evaluate('location.hash')).toBe('#trial=2&run=1');
    expect(await page.textContent('#trial-title')).toContain('rl-short · trial 2');
    const after = await width(page, '#trial-table');
    expect(after).toBe(before);
    // The genotype download of the trial shown.
    const href = await page.getAttribute('#trial-genotype', 'href');
    expect(href).toBe('/api/runs/1/trials/2/genotype.json');
    await page.close();
  });

  it('shows run settings, flags the settings the runs differ in, and offers downloads', async () => {
    const page = await open(url);
    await page.click('.run-card[data-run="1"] details.settings summary');
    const settings = (await page.textContent('.run-card[data-run="1"] details.settings')) ?? '';
    expect(settings).toContain('training.epochs');
    expect(settings).toContain('3 epochs per trial');
    await page.waitForSelector('#settings-differences:not([hidden])');
    const warning = (await page.textContent('#settings-differences')) ?? '';
    expect(warning).toContain('trained with different settings');
    expect(warning).toContain('training.epochs');
    expect(warning).not.toContain('strategy.');

    const links = await attributes(page, '.run-card[data-run="0"] .downloads a', 'href');
    expect(links[0]).toBe('/api/runs/0/trials.csv');
    const fetched = await page.evaluate(`Promise.all(${JSON.stringify(links)}.map(async (l) => {
      const r = await fetch(l);
      return { status: r.status, disposition: r.headers.get('content-disposition'), text: await r.text() };
    }))`);
    const [csv, genotype] = fetched as { status: number; disposition: string; text: string }[];
    expect(csv?.status).toBe(200);
    expect(csv?.disposition).toMatch(/^attachment; filename="run-trials\.csv"$/);
    expect(csv?.text.trim().split('\n')).toHaveLength(13);
    expect(genotype?.status).toBe(200);
    expect(Object.keys(JSON.parse(genotype?.text ?? '{}') as object)).toEqual(
      expect.arrayContaining(['normal', 'reduction']),
    );
    await page.close();
  });

  it('ranks the decisions by how the reward differs between their choices, draws them in parallel coordinates, and every curve', async () => {
    const page = await open(url);
    await page.waitForSelector('table.importance tbody tr');
    const text = (await page.textContent('#importance')) ?? '';
    expect(text).toContain('12 succeeded trials');
    expect(text).toMatch(/normal · block \d · (input|op) [AB]|combine/);
    expect(text).toMatch(/n=\d+/);
    const spreads = await numbers(
      page,
      `[...document.querySelectorAll('.importance-run:first-child td.spread')].map((td) => parseFloat(td.textContent))`,
    );
    expect(spreads).toEqual([...spreads].sort((a, b) => b - a));
    // Parallel coordinates: one line per succeeded trial through its top decisions; a click opens it.
    const lines = page.locator('.parallel-host[data-run="0"] svg.parallel polyline');
    expect(await lines.count()).toBe(12);
    expect(await page.locator('.parallel-host[data-run="0"] .axis-name').count()).toBe(7);
    const picked = (await lines.first().getAttribute('data-trial')) ?? '';
    await lines.first().dispatchEvent('click');
    await page.waitForSelector('#trial-view:not([hidden])');
    expect(await page.evaluate('window.location.hash')).toBe(`#trial=${picked}`);
    await page.waitForSelector('#chart-curves canvas');
    // One curve per trial with an epoch: 12, and 3 succeeded and 1 running of rl-short.
    expect(await page.getAttribute('#chart-curves', 'data-curves')).toBe('16');
    await page.close();
  });

  it('lists trainers with throughput, failures, the last error and their logs', async () => {
    const page = await open(url);
    const rl = '.run-card[data-run="1"] table.trainers';
    await page.waitForSelector(rl);
    const heads = await page.locator(`${rl} th`).allTextContents();
    expect(heads).toEqual(expect.arrayContaining(['images/s', 'failed', 'last error']));
    expect(await page.textContent(`${rl} tbody`)).toContain('out of memory on the trainer');
    await page.click('.run-card[data-run="0"] .logs a[data-log="trainer-1.log"]');
    await page.waitForSelector('#log-dialog[open]');
    expect(await page.textContent('#log-dialog pre')).toContain('epoch 1 done');
    await page.close();
  });

  it('states each run truthfully: badges, ETA, a running trial, the RL panel under one minibatch', async () => {
    const page = await open(url);
    await page.waitForSelector('.run-card[data-run="1"]');
    expect(await page.textContent('#connection')).toBe('connected');
    expect(await page.textContent('.run-card[data-run="0"] .run-state')).toBe('stopped');
    // Trial 5 runs, so a search is taken to run on rl-short: its ETA is a time, not a dash.
    expect(await page.textContent('.run-card[data-run="1"] .run-state')).toBe('searching');
    const eta = await page.textContent('.run-card[data-run="1"] [data-clock="eta"]');
    expect(eta).toMatch(/\d+(s|m|h)/);
    expect(await page.textContent('.run-card[data-run="0"] .stat:nth-child(7) b')).toBe('stopped');
    const running = await page.textContent(
      '#trial-table tr[data-run="1"][data-trial="5"] td:nth-child(3)',
    );
    expect(running).toBe('running · epoch 1/3 · 43.2%');
    await page.waitForSelector('figure[data-signal="1"] p');
    const rl = (await page.textContent('figure[data-signal="1"]')) ?? '';
    expect(rl).toContain('4 results so far, 16 to go');
    expect(rl).not.toContain('no minibatch of 20 results yet');
    await page.close();
  });

  it('labels several ticks of the Pareto chart’s log axis', async () => {
    const page = await open(url);
    const ticks = await page.evaluate(`import('/charts.js').then((m) => ({
      narrow: m.logTicks(7600, 22000), wide: m.logTicks(900, 2000000), label: m.compact(20000) }))`);
    const { narrow, wide, label } = ticks as { narrow: number[]; wide: number[]; label: string };
    expect(narrow.length).toBeGreaterThanOrEqual(3);
    expect(wide).toEqual(expect.arrayContaining([1000, 2000, 5000, 10000, 1e6, 2e6]));
    expect(label).toBe('20k');
    await page.close();
  });
});
