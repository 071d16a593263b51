/**
 * `nas-ctl completion bash|zsh` and `nas-trainer completion bash|zsh` (issue #24): the scripts,
 * generated from the commander programs, run in a real bash (and zsh, where installed) and offer
 * commands, options, an option's choices, and folders or files for path values and arguments.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const BIN = (name: string): string => new URL(`../../bin/${name}.js`, import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'cellsearch-completion-'));
const HAS_ZSH = spawnSync('zsh', ['-c', 'true']).status === 0;

/** The script `<cli> completion <shell>` prints, saved to a file. */
function script(cli: string, shell: string): string {
  const text = execFileSync(process.execPath, [BIN(cli), 'completion', shell], {
    encoding: 'utf8',
  });
  const file = join(dir, `${cli}.${shell}`);
  writeFileSync(file, text);
  return file;
}

/** What bash's completion offers for `words`, the last being the word under the cursor. */
function bashComplete(file: string, fn: string, words: readonly string[]): string[] {
  const array = words.map((w) => `'${w}'`).join(' ');
  const code = `source '${file}'; COMP_WORDS=(${array}); COMP_CWORD=${words.length - 1}; ${fn}; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const out = execFileSync('bash', ['--norc', '-c', code], { cwd: dir, encoding: 'utf8' });
  return out.split('\n').filter((l) => l !== '');
}

/**
 * What zsh's completion asks its completion system for, for `words`: `_describe`, `compadd` and
 * `_files` are stand-ins printing the candidates (matching the typed prefix is zsh's own work).
 */
function zshComplete(file: string, fn: string, words: readonly string[]): string[] {
  const stubs = [
    'compdef() { :; }',
    '_describe() { local name=$4; print -rl -- "${(@)${(P@)name}%%:*}"; }',
    'compadd() { shift; print -rl -- "$@"; }',
    '_files() { print -r -- "_files $*"; }',
  ].join('\n');
  const array = words.map((w) => `'${w}'`).join(' ');
  const code = `${stubs}\nsource '${file}'\nwords=(${array}); CURRENT=${words.length}; ${fn}`;
  const out = execFileSync('zsh', ['-f', '-c', code], { cwd: dir, encoding: 'utf8' });
  return out.split('\n').filter((l) => l !== '');
}

describe('nas-ctl completion bash', () => {
  let file = '';
  beforeAll(() => {
    file = script('nas-ctl', 'bash');
    mkdirSync(join(dir, 'runs', 'search-1'), { recursive: true });
    writeFileSync(join(dir, 'search.yaml'), 'trials: 1\n');
  });
  const complete = (...words: string[]): string[] => bashComplete(file, '_nas_ctl', words);

  it('is valid bash', () => {
    expect(spawnSync('bash', ['-n', file]).status).toBe(0);
  });

  it('offers commands, subcommands and options', () => {
    expect(complete('nas-ctl', 'se')).toEqual(['search']);
    expect(complete('nas-ctl', 'genotype', 's').sort()).toEqual(['sample', 'show']);
    expect(complete('nas-ctl', 'search', '--str')).toEqual(['--strategy', '--strategy-config']);
    expect(complete('nas-ctl', '--verbose', 'search', '--conf')).toEqual(['--config']);
    expect(complete('nas-ctl', 'compl')).toEqual(['completion']);
  });

  it("offers an option's choices, after a value-taking option's value too", () => {
    expect(complete('nas-ctl', 'search', '--strategy', 'e')).toEqual(['evolution']);
    expect(complete('nas-ctl', 'search', '--strategy', '=', 'r')).toEqual(['rl', 'random']);
    expect(complete('nas-ctl', 'search', '--time', '1h', '--progress', '')).toEqual([
      'auto',
      'tty',
      'lines',
      'none',
    ]);
    expect(complete('nas-ctl', 'completion', '--help', '-')).toContain('--help');
  });

  it('offers files for file values and folders for folder values and arguments', () => {
    expect(complete('nas-ctl', 'search', '--config', 'sea')).toEqual(['search.yaml']);
    expect(complete('nas-ctl', 'search', '--run-dir', 'ru')).toEqual(['runs']);
    expect(complete('nas-ctl', 'status', 'runs/')).toEqual(['runs/search-1']);
  });

  it('completes nas-trainer too', () => {
    const trainer = script('nas-trainer', 'bash');
    const words = (...w: string[]): string[] => bashComplete(trainer, '_nas_trainer', w);
    expect(words('nas-trainer', 'se')).toEqual(['serve']);
    expect(words('nas-trainer', 'serve', '--backend', 'w')).toEqual(['wasm']);
    // The hidden trial-runner command is not offered.
    expect(words('nas-trainer', 't')).toEqual(['train']);
  });
});

describe.runIf(HAS_ZSH)('nas-ctl completion zsh', () => {
  let file = '';
  beforeAll(() => {
    file = script('nas-ctl', 'zsh');
  });
  const complete = (...words: string[]): string[] => zshComplete(file, '_nas_ctl', words);

  it('is valid zsh', () => {
    expect(spawnSync('zsh', ['-n', file]).status).toBe(0);
  });

  it('offers commands, options, choices and paths', () => {
    expect(complete('nas-ctl', 'se')).toContain('search');
    expect(complete('nas-ctl', 'genotype', '')).toEqual(['show', 'validate', 'sample']);
    expect(complete('nas-ctl', 'search', '--str')).toContain('--strategy-config');
    expect(complete('nas-ctl', 'search', '--strategy', '')).toEqual([
      'rl',
      'evolution',
      'random',
      'local',
      'hybrid',
    ]);
    expect(complete('nas-ctl', 'search', '--config', '')).toEqual(['_files ']);
    expect(complete('nas-ctl', 'status', '')).toEqual(['_files -/']);
  });

  it('completes nas-trainer too', () => {
    const trainer = script('nas-trainer', 'zsh');
    expect(
      zshComplete(trainer, '_nas_trainer', ['nas-trainer', 'serve', '--log-level', '']),
    ).toContain('info');
  });
});
