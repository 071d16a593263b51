/**
 * The report commands' text tables, as a terminal shows them: columns line up in cells, also when a
 * cell holds wide characters (a run directory in Japanese, an emoji) or a control from outside.
 */
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { textTable } from '../../controller/reports/text-table.ts';
import { renderScreen } from '../fixtures/terminal-screen.ts';

/** The terminal column at which `needle` starts on `line` (cells, not UTF-16 units). */
const cellColumn = (line: string, needle: string): number =>
  stringWidth(line.slice(0, line.indexOf(needle)));

describe('textTable', () => {
  it('pads numbers right and text left, with a rule under the header', () => {
    expect(
      textTable(
        ['run', 'trials'],
        [
          ['a', '3'],
          ['bbbb', '12'],
        ],
        ['left', 'right'],
      ),
    ).toBe(['run   trials', '----  ------', 'a          3', 'bbbb      12'].join('\n'));
  });

  it('lines columns up in terminal cells when a cell holds wide characters', async () => {
    const table = textTable(
      ['run', 'best', 'trials'],
      [
        ['runs/実験-一', '66.1%', '40'],
        ['runs/🧪🧪', '51.0%', '7'],
        ['runs/plain', '12.5%', '300'],
      ],
      ['left', 'right', 'right'],
    );
    const screen = await renderScreen(table, 80, 10);
    expect(screen).toHaveLength(5);
    const best = screen.slice(2).map((line) => cellColumn(line, '%'));
    expect(new Set(best).size).toBe(1);
    const ends = screen.map((line) => stringWidth(line));
    expect(ends[2]).toBe(ends[4]);
  });

  it('shows a control character from outside as its escape, counted at its shown width', () => {
    const table = textTable(['host'], [['evil\x1b[2Jhost'], ['ok']]);
    expect(table).not.toContain('\x1b');
    expect(table.split('\n')[1]).toBe('-'.repeat('evil\\x1b[2Jhost'.length));
  });
});
