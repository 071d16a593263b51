/**
 * install-tensorflow's error paths: missing build tools, unusable wheels, and the real CLI failing
 * with one clear line (no python, no pip, pip failing, no compiler, a wheel without the library).
 */
import { chmod, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findCompiler,
  findExecutable,
  nodeGypCandidates,
} from '../../trainer/native/build-tools.ts';
import {
  CompilerNotFoundError,
  WheelMemberMissingError,
  WheelUnreadableError,
} from '../../trainer/native/errors.ts';
import { installPlan } from '../../trainer/native/install-plan.ts';
import { runProcess } from '../../trainer/native/run-process.ts';
import { checkMembers, openWheel } from '../../trainer/native/wheel-extract.ts';
import { nasTrainer } from '../fixtures/nas-trainer-cli.ts';
import { writeStoredZip } from '../fixtures/stored-zip.ts';

const ENV = { NAS_NATIVE_DIR: '/cache/cs' };
const CPU_WHEEL = 'tensorflow_cpu-2.21.0-cp311-cp311-manylinux_2_27_x86_64.whl';

describe('build tools', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cellsearch-tools-'));
    await writeFile(join(dir, 'g++'), '#!/bin/sh\n');
    await chmod(join(dir, 'g++'), 0o755);
    await writeFile(join(dir, 'c++'), 'not executable');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('finds an executable compiler on PATH, or says where it looked', () => {
    expect(findExecutable('c++', { PATH: dir })).toBeUndefined();
    expect(findCompiler({ PATH: dir })).toBe(join(dir, 'g++'));
    expect(() => findCompiler({ PATH: '/nonexistent' })).toThrow(CompilerNotFoundError);
    expect(() => findCompiler({ PATH: '/nonexistent' })).toThrow(
      'looked for c++ and g++ on PATH /nonexistent',
    );
    expect(() => findCompiler({ PATH: dir, CXX: 'clang++ -O2' })).toThrow('$CXX (clang++)');
  });

  it("prefers npm's own node-gyp", () => {
    expect(
      nodeGypCandidates({ npm_config_node_gyp: '/n/node-gyp.js' }, ['/usr/lib/node_modules/npm']),
    ).toEqual([
      '/n/node-gyp.js',
      '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
    ]);
  });
});

describe('wheels without what the build needs', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cellsearch-wheel-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('names the wheel and the missing library', async () => {
    const file = join(dir, CPU_WHEEL);
    await writeStoredZip(file, {
      'tensorflow/__init__.py': '',
      'tensorflow/libtensorflow_framework.so.2': 'ELF',
    });
    const wheel = await openWheel(file);
    try {
      const plan = installPlan('cpu', '2.21.0', ENV);
      expect(() => checkMembers(wheel, plan.requiredMembers)).toThrow(WheelMemberMissingError);
      expect(() => checkMembers(wheel, plan.requiredMembers)).toThrow(
        `wheel ${CPU_WHEEL} has no tensorflow/libtensorflow_cc.so.2`,
      );
    } finally {
      wheel.close();
    }
  });

  it('says a file is not a zip', async () => {
    const file = join(dir, 'broken.whl');
    await writeFile(file, 'not a zip');
    await expect(openWheel(file)).rejects.toThrow(WheelUnreadableError);
    await expect(openWheel(join(dir, 'missing.whl'))).rejects.toThrow(
      /cannot read wheel .*missing\.whl/,
    );
  });
});

describe.concurrent('nas-trainer install-tensorflow errors', () => {
  let dir = '';
  let env: NodeJS.ProcessEnv = {};
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cellsearch-install-errors-'));
    env = { ...process.env, NAS_NATIVE_DIR: join(dir, 'root'), CXX: '' };
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('says when --python is not there', async () => {
    const r = await nasTrainer(['install-tensorflow', '--python', '/nonexistent'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('python "/nonexistent" not found (no such executable file)');
  });

  it('says when the Python has no pip', async () => {
    const venv = join(dir, 'venv');
    const made = await runProcess('python3', ['-m', 'venv', '--without-pip', venv]);
    expect(made.code).toBe(0);
    const python = join(venv, 'bin', 'python');
    const r = await nasTrainer(['install-tensorflow', '--python', python], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${python} has no pip`);
  });

  it("says when pip fails, with pip's reason", async () => {
    const r = await nasTrainer(['install-tensorflow', '--tensorflow-version', '0.0.1'], {
      ...env,
      PIP_RETRIES: '0',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('pip could not download tensorflow-cpu==0.0.1');
    expect(r.stderr).toContain('No matching distribution');
  });

  it('says when there is no C++ compiler', async () => {
    const bin = join(dir, 'bin-without-compiler');
    await mkdir(bin);
    await symlink(process.execPath, join(bin, 'node'));
    const r = await nasTrainer(['install-tensorflow'], { ...env, PATH: bin });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`a C++ compiler not found (looked for c++ and g++ on PATH ${bin})`);
  });

  it('says when the wheel has no TensorFlow library, and leaves no folder behind', async () => {
    const file = join(dir, CPU_WHEEL);
    await writeStoredZip(file, { 'tensorflow/__init__.py': '' });
    const root = join(dir, 'root-wheel');
    const r = await nasTrainer(['install-tensorflow', '--wheel', file], {
      ...env,
      NAS_NATIVE_DIR: root,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`wheel ${CPU_WHEEL} has no tensorflow/libtensorflow_cc.so.2`);
    expect(r.stdout).toContain('[1/7] tools:');
    expect(await readdir(join(root, 'native'))).toEqual([]);
  });
});
