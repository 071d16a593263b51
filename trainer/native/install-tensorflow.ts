/**
 * `nas-trainer install-tensorflow`: builds tfjs-node(-gpu)'s binding against the TensorFlow C
 * library of a TensorFlow pip wheel and installs it where the trainer's backend loader looks
 * (native-layout.ts). Everything is built in a temporary folder beside the install folder, checked
 * in a fresh Node.js process, then renamed into place; `manifest.json` is written last.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { bindingTensorflowVersion, checkGraphAddon } from './binding-check.ts';
import { findBuildTools, type BuildTools } from './build-tools.ts';
import { checkPlatform, installPlan, type InstallPlan } from './install-plan.ts';
import { manifestMatches, readManifest, writeManifest } from './install-manifest.ts';
import type { InstallOptions } from './install-options.ts';
import { step, type InstallContext } from './install-step.ts';
import { buildFromWheels, obtainWheels, type WheelsInHand } from './install-steps.ts';
import type { NativeManifest } from './native-layout.ts';
import { classifyWheels, type WheelSet } from './wheel-name.ts';

export type { InstallContext } from './install-step.ts';

/** What the install left in place. */
export interface InstallResult {
  readonly dir: string;
  readonly manifest: NativeManifest;
  /** True when the same install was already there and nothing was rebuilt. */
  readonly alreadyInstalled: boolean;
}

/** Runs the whole install, or reports that the same one is already in place. */
export async function installTensorflow(
  opts: InstallOptions,
  ctx: InstallContext,
): Promise<InstallResult> {
  checkPlatform(ctx.platform, ctx.arch);
  const plan = installPlan(opts.variant, opts.tensorflowVersion, ctx.env);
  const given = opts.wheels.length > 0 ? classifyWheels(opts.wheels, plan) : undefined;
  if (!opts.force) {
    const existing = await existingInstall(plan, given, ctx);
    if (existing !== undefined) return existing;
  }
  const tools = await step(
    ctx,
    1,
    'tools',
    () => findBuildTools(opts.python, ctx.env),
    describeTools,
  );
  await mkdir(dirname(plan.layout.dir), { recursive: true });
  const stage = await mkdtemp(`${plan.layout.dir}.tmp-`);
  try {
    const manifest = await buildInStage(plan, tools, given, stage, ctx);
    await moveIntoPlace(stage, plan.layout.dir);
    await writeManifest(plan.layout.manifest, manifest);
    ctx.log(
      `installed ${plan.package} ${plan.tfjsVersion} with TensorFlow ${manifest.tensorflowVersion} in ${plan.layout.dir}`,
    );
    return { dir: plan.layout.dir, manifest, alreadyInstalled: false };
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

/** Steps 2 to 7 in `stage`; returns the manifest of what was built. */
async function buildInStage(
  plan: InstallPlan,
  tools: BuildTools,
  given: WheelSet | undefined,
  stage: string,
  ctx: InstallContext,
): Promise<NativeManifest> {
  const obtain = (): Promise<WheelsInHand> =>
    obtainWheels(plan, given, tools.python, stage, ctx.env);
  const wheels = await step(ctx, 2, 'wheel', obtain, (w) => describeWheels(w, given));
  try {
    const version = await buildFromWheels(plan, tools, wheels, stage, ctx);
    return {
      package: plan.package,
      tfjsVersion: plan.tfjsVersion,
      napiVersion: plan.napiVersion,
      tensorflowVersion: version,
      wheel: basename(wheels.tensorflow.file),
      installedAt: new Date().toISOString(),
    };
  } finally {
    wheels.close();
  }
}

/** The install in place when its manifest matches the plan and its binding loads, else undefined. */
async function existingInstall(
  plan: InstallPlan,
  given: WheelSet | undefined,
  ctx: InstallContext,
): Promise<InstallResult | undefined> {
  const { dir, manifest: path, binding, graphAddon } = plan.layout;
  const manifest = await readManifest(path);
  const wheel = given === undefined ? undefined : basename(given.tensorflow);
  if (manifest === undefined || !manifestMatches(manifest, plan, wheel)) return undefined;
  if (!existsSync(graphAddon)) {
    ctx.log(`the install in ${dir} has no graph-step addon (it predates it); rebuilding it`);
    return undefined;
  }
  let version: string;
  try {
    version = await bindingTensorflowVersion(binding);
    await checkGraphAddon(graphAddon);
  } catch (err) {
    ctx.log(`the install in ${dir} does not load (${String(err)}); rebuilding it`);
    return undefined;
  }
  if (version !== manifest.tensorflowVersion) return undefined;
  ctx.log(
    `${plan.package} ${plan.tfjsVersion} with TensorFlow ${version} is already installed in ${dir} (--force rebuilds it)`,
  );
  return { dir, manifest, alreadyInstalled: true };
}

function describeWheels(wheels: WheelsInHand, given: WheelSet | undefined): string {
  const n = wheels.cuda.length;
  const cuda = n > 0 ? ` + ${n} nvidia wheel${n === 1 ? '' : 's'}` : '';
  const source = given === undefined ? 'pip' : 'given';
  return `${basename(wheels.tensorflow.file)}${cuda} (${source})`;
}

function describeTools(tools: BuildTools): string {
  const headers = tools.nodeDir ?? 'downloaded by node-gyp';
  return `c++ ${tools.compiler}, make, python ${tools.python}, node-gyp ${tools.nodeGyp}, node headers ${headers}`;
}

/** Replaces `dir` with `stage`: the old install is renamed aside first and removed after. */
async function moveIntoPlace(stage: string, dir: string): Promise<void> {
  const old = `${dir}.old-${process.pid}-${Date.now()}`;
  // mkdtemp made the stage private (0700); the install is read by whoever runs the trainer.
  await chmod(stage, 0o755);
  const hadOld = existsSync(dir);
  if (hadOld) await rename(dir, old);
  try {
    await rename(stage, dir);
  } catch (err) {
    if (hadOld) await rename(old, dir);
    throw err;
  }
  if (hadOld) await rm(old, { recursive: true, force: true });
}
