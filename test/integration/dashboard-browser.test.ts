/**
 * The dashboard in a real browser: Debian's chromium, driven by playwright-core, opens the page
 * `nas-ctl search --dashboard 0` serves for an RL search running against a real local trainer on a
 * tiny synthetic dataset; it sees trials appear live (no reload), sorts the table, opens a trial's
 * epoch curves and cell diagrams, and takes screenshots at a 1400 px wide window. With
 * UPDATE_SCREENSHOT=1 they are the README's (docs/dashboard.png: the page; docs/dashboard-trial.png:
 * a trial opened; docs/dashboard-cell.png: a cell enlarged), else one temporary file. Skipped where
 * chromium is missing, except under CI=true (.ci/run installs it).
 */
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { killLeftJobs, startSearchJob } from '../fixtures/search-job.ts';

const CHROMIUM = process.env['NAS_CHROMIUM'] ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM) || process.env['CI'] === 'true';
const SCREENSHOT = new URL('../../docs/dashboard.png', import.meta.url).pathname;
const TRIAL_SCREENSHOT = new URL('../../docs/dashboard-trial.png', import.meta.url).pathname;
const CELL_SCREENSHOT = new URL('../../docs/dashboard-cell.png', import.meta.url).pathname;

const TINY = [
  ...['--dataset', 'synthetic:classes=4,size=16,train=192,test=32', '--size', '1@48'],
  ...['--epochs', '2', '--steps-per-epoch', '2', '--batch-size', '16', '--validation-size', '64'],
  ...['--local-trainers', '1', '--backend', 'wasm'],
];

/** The test's time limit: the README's pictures wait for ten trials, on a loaded machine too. */
const UPDATE_TIMEOUT = process.env['UPDATE_SCREENSHOT'] === '1' ? 300_000 : 90_000;

let browser: Browser | null = null;
afterAll(async () => {
  await browser?.close();
  killLeftJobs();
});

/** How many rows of the trial table show a succeeded trial. */
function succeededRows(page: Page): Promise<number> {
  return page.locator('#trial-table td.status-succeeded').count();
}

/** The reward column as numbers (a dash: NaN). */
async function rewardColumn(page: Page): Promise<number[]> {
  const cells = await page.locator('#trial-table tbody tr td:nth-child(4)').allTextContents();
  return cells.map((text) => parseFloat(text));
}

describe.skipIf(!available)('the dashboard in chromium', () => {
  it(
    'follows a running search live, sorts, opens a trial and draws its cells',
    async () => {
      const dir = join(await mkdtemp(join(tmpdir(), 'cellsearch-dashboard-')), 'rl-search');
      const args = ['--strategy', 'rl', '--rl-batch-size', '3', '--trials', '60', '--run-dir', dir];
      const job = startSearchJob([...args, ...TINY, '--dashboard', '0']);
      await job.until(() => /dashboard on http:\/\/\S+/.test(job.stderr()));
      const url = /dashboard on (http:\/\/\S+)/.exec(job.stderr())?.[1] ?? '';

      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          ...['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
          ...['--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
        ],
      });
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      const problems: string[] = [];
      page.on('console', (m) => void (m.type() === 'error' && problems.push(m.text())));
      page.on('pageerror', (err) => problems.push(err.message));
      await page.goto(url);
      // Set once: a reload would drop it (the DOM's types are not the test's, hence the strings).
      await page.evaluate('window.loadedOnce = true');

      // A trial finishes, and then another appears without a reload.
      await page.waitForSelector('#trial-table td.status-succeeded', { timeout: 40_000 });
      const first = await succeededRows(page);
      await expect
        .poll(() => succeededRows(page), { timeout: 30_000, interval: 100 })
        .toBeGreaterThan(first);
      expect(await page.evaluate('window.loadedOnce')).toBe(true);
      expect(await page.textContent('#connection')).toBe('connected');

      // Sorting: reward descending, then ascending.
      await page.click('th[data-key="reward"]');
      expect(await page.getAttribute('th[data-key="reward"]', 'aria-sort')).toBe('descending');
      const down = (await rewardColumn(page)).filter((r) => !Number.isNaN(r));
      expect(down).toEqual([...down].sort((a, b) => b - a));
      await page.click('th[data-key="reward"]');
      const up = (await rewardColumn(page)).filter((r) => !Number.isNaN(r));
      expect(up).toEqual([...up].sort((a, b) => a - b));
      expect(up.length).toBeGreaterThanOrEqual(2);

      // Opening the best trial: its epoch curves and both cells as a Graphviz diagram.
      await page.click('th[data-key="reward"]');
      await page.click('#trial-table tbody tr:has(td.status-succeeded)');
      await page.waitForSelector('#chart-epochs canvas');
      await page.waitForSelector('#trial-cells svg');
      const cells = (await page.textContent('#trial-cells')) ?? '';
      expect(cells).toContain('normal cell');
      expect(cells).toContain('reduction cell');
      expect(await page.textContent('#trial-facts')).toContain('succeeded');

      // The RL controller's first minibatch (of 3 results) shows in its chart.
      await page.waitForSelector('figure[data-signal="0"] canvas', { timeout: 30_000 });
      await page.waitForSelector('.best-cell svg');
      const update = process.env['UPDATE_SCREENSHOT'] === '1';
      // The README's picture shows a few minibatches; the test itself needs only the first.
      if (update)
        await expect.poll(() => succeededRows(page), { timeout: 200_000 }).toBeGreaterThan(9);
      const shot = update ? SCREENSHOT : join(dir, 'dashboard.png');
      if (update) {
        // The trial opened above (its link in the address), then its normal cell enlarged.
        await page.waitForSelector('#trial-cells figure.cell svg');
        await page.evaluate('window.scrollTo(0, 0)');
        await page.screenshot({ path: TRIAL_SCREENSHOT });
        await page.click('#trial-cells figure.cell[data-cell="normal"]');
        await page.waitForSelector('#cell-dialog[open] svg');
        await page.screenshot({ path: CELL_SCREENSHOT });
        await page.click('#cell-dialog button');
        await page.click('#trial-close');
        await page.waitForSelector('table.importance');
      }
      await page.screenshot({ path: shot, fullPage: true });
      expect(existsSync(shot)).toBe(true);
      expect(problems).toEqual([]);

      process.kill(-job.pid, 'SIGINT');
      expect((await job.ended).code).toBe(130);
    },
    UPDATE_TIMEOUT,
  );
});
