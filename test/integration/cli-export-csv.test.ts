/**
 * Issue #11: `nas-ctl export --trials-csv` writes every trial of a run as RFC 4180 CSV (ISO 8601
 * times, fractions, one-line genotypes), to a file or stdout. A real finished run store.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TRIALS_CSV_COLUMNS } from '../../controller/reports/trials-csv.ts';
import { csvDocument } from '../../controller/reports/csv.ts';
import { openRunStore, type TrialRecord } from '../../controller/store/index.ts';
import { genotypeText } from '../../shared/genotype-text.ts';
import { finishedRun } from '../fixtures/finished-run.ts';
import { nasCtl } from '../fixtures/nas-ctl.ts';

/** Parses RFC 4180 CSV: CRLF records, quoted fields with doubled quotes. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' && field === '') {
      const end = closingQuote(text, i + 1);
      field = text.slice(i + 1, end).replace(/""/g, '"');
      i = end;
    } else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      records.push([...record, field]);
      [record, field] = [[], ''];
      i++;
    } else field += c;
  }
  expect(field + record.join('')).toBe('');
  return records;
}

function closingQuote(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] !== '"') continue;
    if (text[i + 1] !== '"') return i;
    i++;
  }
  throw new Error('unclosed quote');
}

let dir = '';
let trials: TrialRecord[] = [];
beforeAll(() => {
  dir = finishedRun(12);
  const store = openRunStore(dir, { readonly: true });
  trials = store.trials();
  store.close();
});

describe('nas-ctl export --trials-csv', () => {
  it('writes one row per trial with ISO times, fractions and one-line genotypes', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'cellsearch-csv-')), 'trials.csv');
    const out = await nasCtl('export', dir, '--trials-csv', file);
    expect(out.code).toBe(0);
    expect(out.stdout).toBe(`${file}\n`);
    const text = await readFile(file, 'utf8');
    expect(text.endsWith('\r\n')).toBe(true);
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual([...TRIALS_CSV_COLUMNS]);
    expect(rows).toHaveLength(12);
    const col = (row: string[] | undefined, name: (typeof TRIALS_CSV_COLUMNS)[number]) =>
      row?.[TRIALS_CSV_COLUMNS.indexOf(name)];
    for (const [i, t] of trials.entries()) {
      const row = rows[i];
      expect(col(row, 'id')).toBe(String(t.id));
      expect(col(row, 'status')).toBe('succeeded');
      expect(Number(col(row, 'reward'))).toBe(t.reward);
      expect(Number(col(row, 'params'))).toBe(t.result?.params);
      expect(col(row, 'hash')).toBe(t.hash);
      expect(col(row, 'created_at')).toBe(new Date(t.createdAt).toISOString());
      expect(col(row, 'finished_at')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(col(row, 'started_at')).toBe(
        t.startedAt === null ? '' : new Date(t.startedAt).toISOString(),
      );
      expect(col(row, 'genotype')).toBe(genotypeText(t.genotype));
      expect(col(row, 'genotype')).not.toMatch(/[\r\n]/);
    }
  });

  it('writes to stdout with -, the same document', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'cellsearch-csv-')), 'trials.csv');
    await nasCtl('export', dir, '--trials-csv', file);
    const out = await nasCtl('export', dir, '--trials-csv', '-');
    expect(out.code).toBe(0);
    expect(out.stdout).toBe(await readFile(file, 'utf8'));
  });

  it('quotes fields with commas, quotes and line breaks (RFC 4180)', () => {
    const doc = csvDocument(
      ['a', 'b'],
      [
        ['x, "y"', 'two\nlines'],
        [1.5, null],
      ],
    );
    expect(doc).toBe('a,b\r\n"x, ""y""","two\nlines"\r\n1.5,\r\n');
    expect(parseCsv(doc)).toEqual([
      ['a', 'b'],
      ['x, "y"', 'two\nlines'],
      ['1.5', ''],
    ]);
  });

  it('needs --out or --trials-csv, and says so', async () => {
    const out = await nasCtl('export', dir);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('--out <dir>');
    expect(out.stderr).toContain('--trials-csv <file|->');
  });
});
