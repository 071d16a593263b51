/**
 * `nas-trainer install-tensorflow` end to end into a temporary NAS_NATIVE_DIR: pip downloads the
 * tensorflow-cpu wheel, npm packs tfjs-node, node-gyp builds the binding (1-2 minutes), and the
 * binding then loads in a fresh node process. A second run finds the install and does nothing.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isNativeManifest,
  nativeInstallDir,
  nativeLayout,
} from '../../trainer/native/native-layout.ts';
import { nasTrainer } from '../fixtures/nas-trainer-cli.ts';

const run = promisify(execFile);

/** pip download (~10 s from a local index, longer from PyPI), extract ~850 MB, compile. */
const INSTALL_TIMEOUT_MS = 15 * 60_000;

describe('nas-trainer install-tensorflow', () => {
  let root = '';
  let env: NodeJS.ProcessEnv = {};
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'cellsearch-native-'));
    env = { ...process.env, NAS_NATIVE_DIR: root };
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it(
    'builds the tfjs-node binding against tensorflow-cpu 2.21.0 and installs it',
    async () => {
      const r = await nasTrainer(['install-tensorflow'], env, INSTALL_TIMEOUT_MS);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      for (const n of [1, 2, 3, 4, 5, 6, 7])
        expect(r.stdout).toMatch(new RegExp(`^\\[${n}/7\\] .* s\\)$`, 'm'));
      expect(r.stdout).toMatch(/\[2\/7\] wheel: tensorflow_cpu-2\.21\.0-.*\.whl \(pip\)/);
      expect(r.stdout).toMatch(/\[6\/7\] graph addon: graph-addon\/graph_addon\.node/);

      const dir = nativeInstallDir('@tensorflow/tfjs-node', env);
      const layout = nativeLayout(dir);
      const manifest: unknown = JSON.parse(await readFile(layout.manifest, 'utf8'));
      expect(isNativeManifest(manifest)).toBe(true);
      expect(manifest).toMatchObject({
        package: '@tensorflow/tfjs-node',
        tfjsVersion: '4.22.0',
        napiVersion: 8,
        tensorflowVersion: '2.21.0',
        wheel: expect.stringMatching(/^tensorflow_cpu-2\.21\.0-.*\.whl$/) as unknown,
      });
      expect(existsSync(join(layout.libDir, 'libtensorflow_cc.so.2'))).toBe(true);
      expect(existsSync(join(layout.libDir, 'libtensorflow_framework.so.2'))).toBe(true);
      expect(existsSync(join(layout.packageDir, 'dist', 'nodejs_kernel_backend.js'))).toBe(true);
      // Only what the trainer loads is kept: no build folder, headers, wheel or staging folder.
      expect(existsSync(join(layout.packageDir, 'build'))).toBe(false);
      expect(existsSync(join(layout.packageDir, 'deps', 'include'))).toBe(false);
      expect(await readdir(join(root, 'native'))).toEqual(['tfjs-node-4.22.0-napi8']);

      const script = 'process.stdout.write(require(process.argv[1]).TF_Version)';
      const { stdout } = await run(process.execPath, ['-e', script, layout.binding]);
      expect(stdout).toBe('2.21.0');
      // The graph-step addon, loaded from a plain node process: its RUNPATH finds the library.
      const graph =
        'const a = require(process.argv[1]); process.stdout.write(String(a.opCount(a.newGraph())))';
      const built = await run(process.execPath, ['-e', graph, layout.graphAddon]);
      expect(built.stdout).toBe('0');
    },
    INSTALL_TIMEOUT_MS,
  );

  it('does nothing when the same install is already there', async () => {
    const started = performance.now();
    const r = await nasTrainer(['install-tensorflow'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      '@tensorflow/tfjs-node 4.22.0 with TensorFlow 2.21.0 is already installed',
    );
    expect(r.stdout).not.toContain('[1/7]');
    expect(performance.now() - started).toBeLessThan(30_000);
  });
});
