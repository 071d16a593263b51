/**
 * The deployment files (issue #20, item 5): deploy/kubernetes/cellsearch.yaml and the Helm chart it
 * is rendered from (by the helm binary an npm package ships), checked against the Kubernetes API
 * schemas (kubernetes-models), against each other (one port, one token, one run directory), against
 * the real CLIs' flags and the real trainer's health service, and against the README's commands.
 * Also deploy/docker/Dockerfile, linted and read, since no image can be built here.
 */
import { execFile } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRAINER_SERVICE_NAME } from '../../trainer/server/trainer-server.ts';
import { cliOptions, parseArgs } from '../fixtures/cli-options.ts';
import {
  mainContainer,
  readDeployment,
  shellCommands,
  type Deployment,
} from '../fixtures/deployment-objects.ts';
import { deploymentProblems } from '../fixtures/deployment-checks.ts';
import * as wiring from '../fixtures/deployment-wiring.ts';
import { dockerfileFacts, lintProblems } from '../fixtures/dockerfile-facts.ts';
import { helmLint, helmTemplate, helmUnavailable, RENDERED_MANIFESTS } from '../fixtures/helm.ts';
import {
  parseObjects,
  schemaProblems,
  typeProblems,
  type KubeObject,
} from '../fixtures/kube-objects.ts';
import { probeUntilServing } from '../fixtures/kubelet-grpc-probe.ts';
import { killTrainers, spawnTrainer } from '../integration/grpc-helpers.ts';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
/** README.md's "Running on a cluster" section: the commands a user types. */
const README = clusterSection(read('README.md'));
const DOCKERFILE = dockerfileFacts(read('deploy/docker/Dockerfile'));
const NO_HELM = helmUnavailable();

let ctx: wiring.WiringContext;
beforeAll(async () => {
  ctx = {
    trainerOptions: await cliOptions(join(ROOT, 'bin/nas-trainer.js'), ['serve']),
    searchOptions: await cliOptions(join(ROOT, 'bin/nas-ctl.js'), ['search']),
    healthServices: ['', TRAINER_SERVICE_NAME],
    imageUser: Number(DOCKERFILE.user?.split(':')[0]),
  };
});
const scratch: string[] = [];
afterAll(() => {
  killTrainers();
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A new temporary folder, removed after the tests. */
function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

/** Every wiring problem of a set of objects, one line each. */
function wiringProblems(objects: readonly KubeObject[]): string[] {
  return deploymentProblems(objects, ctx, README);
}

/**
 * What the real nas-ctl says to the Job's resume line (its args after `--resume`) about flags: ''
 * unless it refuses one as unknown or as a setting the run already stored. The run folder does not
 * exist and the Secret files are not there, so it stops right after reading its flags.
 */
async function resumeRefusal(objects: readonly KubeObject[]): Promise<string> {
  const lines = wiring.searchLines(readDeployment(objects), ctx);
  if (lines === undefined) return '';
  const argv = [
    join(ROOT, 'bin/nas-ctl.js'),
    'search',
    '--resume',
    join(tmpdir(), 'cellsearch-no-run'),
    ...lines.container.args,
  ];
  const stderr = await run(process.execPath, argv, { encoding: 'utf8', timeout: 60_000 }).then(
    () => '',
    (err: unknown) => (err instanceof Error && 'stderr' in err ? String(err.stderr) : String(err)),
  );
  return /--resume continues with the run's stored settings|unknown option/.exec(stderr)
    ? stderr.trim()
    : '';
}

function probeKinds(d: Deployment): string[] {
  const trainer = mainContainer(d.trainers.spec.template);
  return [trainer.startupProbe, trainer.readinessProbe, trainer.livenessProbe].map((p) =>
    p?.grpc !== undefined
      ? `grpc ${p.grpc.service ?? ''}`
      : p?.tcpSocket !== undefined
        ? 'tcp'
        : 'none',
  );
}

const kept = (): KubeObject[] =>
  parseObjects(readFileSync(RENDERED_MANIFESTS, 'utf8'), 'deploy/kubernetes');

describe('deploy/kubernetes/cellsearch.yaml', () => {
  it('holds objects valid against the Kubernetes API schemas, with no unknown field', () => {
    const objects = kept();
    expect(objects.map((o) => o.kind).sort()).toEqual([
      'apps/v1 StatefulSet',
      'batch/v1 Job',
      'networking.k8s.io/v1 NetworkPolicy',
      'v1 PersistentVolumeClaim',
      'v1 Service',
      'v1 Service',
    ]);
    expect(schemaProblems(objects)).toEqual([]);
    expect(typeProblems(objects)).toEqual([]);
  });

  it('wires one port, one token and one run directory through every object, with flags the CLIs accept', () => {
    expect(wiringProblems(kept())).toEqual([]);
    // A token guards the trainers, so the kubelet probes their port with TCP (its gRPC probe sends no token).
    expect(probeKinds(readDeployment(kept()))).toEqual(['tcp', 'tcp', 'tcp']);
  });

  it('passes the dashboard port the README port-forwards to, on the pod loopback', () => {
    const d = readDeployment(kept());
    const lines = wiring.searchLines(d, ctx);
    const port = lines?.start.flags.get('--dashboard');
    expect(README).toContain(`port-forward job/${d.job?.metadata.name ?? ''} ${String(port)} `);
    expect(lines?.start.flags.has('--dashboard-host')).toBe(false);
  });
});

describe('the search Job command', () => {
  const tmp = scratchDir('cellsearch-deploy-');

  it('starts the run when run.sqlite is missing and resumes it when it is there', async () => {
    const lines = wiring.searchLines(readDeployment(kept()), ctx);
    if (lines === undefined) throw new Error('no search Job');
    const bin = join(tmp, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'nas-ctl'), '#!/bin/sh\nprintf "%s\\n" "$@" > "$ARGV_FILE"\n');
    chmodSync(join(bin, 'nas-ctl'), 0o755);
    const runDir = join(tmp, 'run');
    const env = {
      PATH: `${bin}:${process.env['PATH'] ?? ''}`,
      RUN_DIR: runDir,
      ARGV_FILE: join(tmp, 'argv'),
    };
    const argv = async (): Promise<string[]> => {
      const [, , script = '', name = ''] = lines.container.command;
      await run('/bin/sh', ['-c', script, name, ...lines.container.args], { env });
      return readFileSync(env.ARGV_FILE, 'utf8').trimEnd().split('\n');
    };
    // What sh passes is what the checks read from the script: the new-run line with the args.
    const script = lines.container.command[2] ?? '';
    const words = shellCommands(
      script,
      'exec nas-ctl search ',
      new Map([['RUN_DIR', runDir]]),
      lines.container.args,
    );
    expect(await argv()).toEqual(words.find((w) => w.includes('--run-dir'))?.slice(2));
    mkdirSync(runDir);
    writeFileSync(join(runDir, 'run.sqlite'), '');
    expect(await argv()).toEqual(['search', '--resume', runDir, ...lines.container.args]);
  });

  it('resumes with flags nas-ctl search takes together with --resume (no settings flag)', async () => {
    expect(await resumeRefusal(kept())).toBe('');
  });
});

describe.skipIf(NO_HELM !== null)(
  `the chart, rendered by helm${NO_HELM === null ? '' : ` (skipped: ${NO_HELM})`}`,
  () => {
    it('passes helm lint --strict', async () => {
      const lint = await helmLint();
      expect(lint.ok, lint.output).toBe(true);
    });

    it('renders its defaults to deploy/kubernetes/cellsearch.yaml (else: npx tsx test/fixtures/render-manifests.ts)', async () => {
      const rendered = await helmTemplate();
      if (!rendered.ok) throw new Error(rendered.error);
      expect(parseObjects(rendered.yaml, 'helm').map((o) => o.data)).toEqual(
        kept().map((o) => o.data),
      );
    });

    it.each([
      ['no token: native gRPC probes', ['auth.tokenSecret=']],
      [
        'TLS, mutual TLS, GPUs, ServiceMonitor, a datasets volume, more settings',
        [
          'tls.enabled=true',
          'tls.mutual=true',
          'trainer.gpu=true',
          'metrics.serviceMonitor.enabled=true',
          'trainer.dataVolume.persistentVolumeClaim.claimName=datasets',
          'search.extraFlags={--size,2@384,--epochs,20}',
        ],
      ],
      [
        'trainers only, no metrics, no network policy',
        ['search.enabled=false', 'metrics.enabled=false', 'networkPolicy.enabled=false'],
      ],
    ])('%s: valid objects, wired right', async (_name, sets) => {
      const rendered = await helmTemplate(sets);
      if (!rendered.ok) throw new Error(rendered.error);
      const objects = parseObjects(rendered.yaml, 'helm');
      expect(schemaProblems(objects)).toEqual([]);
      expect(typeProblems(objects)).toEqual([]);
      expect(wiringProblems(objects)).toEqual([]);
      expect(await resumeRefusal(objects)).toBe('');
    });

    it('gives each GPU trainer one nvidia.com/gpu, the GPU image and the node-gpu backend', async () => {
      const rendered = await helmTemplate(['trainer.gpu=true']);
      if (!rendered.ok) throw new Error(rendered.error);
      const d = readDeployment(parseObjects(rendered.yaml, 'helm'));
      const trainer = mainContainer(d.trainers.spec.template);
      expect(trainer.resources.limits['nvidia.com/gpu']).toBe(1);
      expect(trainer.image).toMatch(/-gpu$/);
      expect(wiring.trainerFlags(d, ctx).flags.get('--backend')).toBe('node-gpu');
    });

    it.each([
      [['trainer.probes.type=grpc'], /kubelet's gRPC probe sends no token/],
      [
        ['auth.tokenSecret=', 'tls.enabled=true', 'trainer.probes.type=grpc'],
        /kubelet's gRPC probe sends no token/,
      ],
      [['tls.mutual=true'], /tls.mutual needs tls.enabled/],
      [['search.runName=Run_1'], /search.runName must be lower-case/],
    ])('refuses %j', async (sets, message) => {
      const rendered = await helmTemplate(sets);
      expect(rendered.ok ? 'rendered' : rendered.error).toMatch(message);
    });

    it("the probes' gRPC health check is SERVING on a real trainer without a token, UNAUTHENTICATED with one", async () => {
      const rendered = await helmTemplate(['auth.tokenSecret=']);
      if (!rendered.ok) throw new Error(rendered.error);
      const d = readDeployment(parseObjects(rendered.yaml, 'helm'));
      const kinds = probeKinds(d);
      expect(kinds).toEqual([
        `grpc ${TRAINER_SERVICE_NAME}`,
        `grpc ${TRAINER_SERVICE_NAME}`,
        `grpc ${TRAINER_SERVICE_NAME}`,
      ]);
      const service = mainContainer(d.trainers.spec.template).readinessProbe?.grpc?.service ?? '';
      const open = await spawnTrainer(['--backend', 'cpu']);
      expect(await probeUntilServing(open.address, service)).toEqual({ status: 'SERVING' });
      const guarded = await spawnTrainer(['--backend', 'cpu'], {
        NAS_TRAINER_TOKEN: 'a-token-of-the-cluster',
      });
      expect(await probeUntilServing(guarded.address, service)).toMatchObject({
        code: status.UNAUTHENTICATED,
      });
    });
  },
);

describe('deploy/docker/Dockerfile', () => {
  it('lints clean with dockerfile-utils (which does find problems)', () => {
    expect(DOCKERFILE.lint).toEqual([]);
    expect(lintProblems('FROM node:20\nUSER\nFOO bar\n')).toHaveLength(2);
  });

  it("runs nas-trainer serve as a non-root user, exposes the chart's ports, leaves health to the probes", () => {
    expect(DOCKERFILE.entrypoint).toEqual(['nas-trainer', 'serve']);
    expect(DOCKERFILE.user).toMatch(/^[1-9]\d*:[1-9]\d*$/);
    const d = readDeployment(kept());
    const trainerPorts = mainContainer(d.trainers.spec.template).ports.map((p) => p.containerPort);
    expect(DOCKERFILE.exposed).toEqual(trainerPorts); // gRPC and metrics
    expect(DOCKERFILE.healthcheck).toBe('NONE');
    expect(mainContainer(d.trainers.spec.template).command).toEqual([]); // the ENTRYPOINT runs
  });

  it('CMD passes flags nas-trainer serve accepts', () => {
    expect(parseArgs(DOCKERFILE.cmd ?? ['(shell form)'], ctx.trainerOptions).problems).toEqual([]);
  });

  it('builds TensorFlow with install-tensorflow, with --gpu for the GPU variant', () => {
    const build = DOCKERFILE.runs.find((r) => r.includes('install-tensorflow'));
    expect(build).toMatch(/VARIANT" = gpu \]; then gpu=--gpu/);
    expect(build).toMatch(/nas-trainer\.js install-tensorflow \$gpu/);
  });

  it('copies into the image what both CLIs load (--help of serve and search from a copy of those files)', async () => {
    const app = join(scratchDir('cellsearch-image-'), 'app');
    for (const source of new Set(DOCKERFILE.runtimeCopies))
      cpSync(join(ROOT, source), join(app, source), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(app, 'node_modules')); // npm ci's, in the image
    const help = (bin: string, command: string) =>
      run(process.execPath, [join(app, 'bin', bin), command, '--help'], { cwd: tmpdir() });
    expect((await help('nas-trainer.js', 'serve')).stdout).toMatch(/^Usage: nas-trainer serve/);
    expect((await help('nas-ctl.js', 'search')).stdout).toMatch(/^Usage: nas-ctl search/);
  });

  it('lets every folder and file it copies through Dockerfile.dockerignore', () => {
    const ignore = read('deploy/docker/Dockerfile.dockerignore')
      .split('\n')
      .filter((l) => l.trim() !== '' && !l.startsWith('#'));
    expect(ignore[0]).toBe('**');
    const allowed = new Set(ignore.slice(1).map((l) => l.replace(/^!/, '').replace(/\/$/, '')));
    expect([...new Set(DOCKERFILE.contextCopies)].filter((c) => !allowed.has(c))).toEqual([]);
  });
});

function clusterSection(readme: string): string {
  const start = readme.indexOf('\n## Running on a cluster\n');
  const end = readme.indexOf('\n## ', start + 1);
  if (start < 0 || end < 0) throw new Error('README.md has no "Running on a cluster" section');
  return readme.slice(start, end);
}
