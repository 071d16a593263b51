/**
 * Steps 2 to 7 of install-tensorflow, each working in the staging folder that becomes the install
 * folder: get the wheels, unpack the npm package, extract the library and headers into its deps/,
 * build the binding, build the graph-step addon, prune what only the builds needed and load both
 * in a child process.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { bindingTensorflowVersion, checkGraphAddon } from './binding-check.ts';
import { buildBinding, createLinks, pruneBuildFiles } from './binding-build.ts';
import type { BuildTools } from './build-tools.ts';
import { BUILD_MARGIN_BYTES, ensureFreeSpace } from './disk-space.ts';
import { megabytes } from './errors.ts';
import { buildGraphAddon } from './graph-addon-build.ts';
import {
  cudaLinks,
  cudaMemberDestination,
  INCLUDE_DIR,
  LIB_DIR,
  tensorflowMemberDestination,
  type InstallPlan,
} from './install-plan.ts';
import { step, type InstallContext } from './install-step.ts';
import { nativeLayout } from './native-layout.ts';
import { fetchPackage } from './package-fetch.ts';
import { downloadWheels } from './wheel-download.ts';
import {
  checkMembers,
  extractedBytes,
  extractMembers,
  openWheel,
  selectMembers,
  type OpenWheel,
  type SelectedMember,
} from './wheel-extract.ts';
import { pickDownloadedWheels, type WheelSet } from './wheel-name.ts';

/** The wheels of one install, open; `close()` closes them all. */
export interface WheelsInHand {
  readonly tensorflow: OpenWheel;
  readonly cuda: readonly OpenWheel[];
  close(): void;
}

/**
 * Step 2: the `given` wheels, or pip's download into `<stage>/wheels`, opened; the TensorFlow
 * wheel must hold every member the plan requires.
 */
export async function obtainWheels(
  plan: InstallPlan,
  given: WheelSet | undefined,
  python: string,
  stage: string,
  env: NodeJS.ProcessEnv,
): Promise<WheelsInHand> {
  const set =
    given ?? pickDownloadedWheels(await downloadWheels(python, plan, wheelDir(stage), env), plan);
  const opened: OpenWheel[] = [];
  const close = (): void => opened.forEach((wheel) => wheel.close());
  try {
    const tensorflow = await openWheel(set.tensorflow);
    opened.push(tensorflow);
    checkMembers(tensorflow, plan.requiredMembers);
    for (const file of set.cuda) opened.push(await openWheel(file));
    return { tensorflow, cuda: opened.slice(1), close };
  } catch (err) {
    close();
    throw err;
  }
}

/** Steps 3 to 7 in `stage`; returns the TensorFlow version the built binding reports. */
export async function buildFromWheels(
  plan: InstallPlan,
  tools: BuildTools,
  wheels: WheelsInHand,
  stage: string,
  ctx: InstallContext,
): Promise<string> {
  const spec = `${plan.package}@${plan.tfjsVersion}`;
  const packageDir = await step(
    ctx,
    3,
    'package',
    () => fetchPackage(tools.npm, plan.package, plan.tfjsVersion, stage),
    () => `${spec} (npm pack)`,
  );
  await step(
    ctx,
    4,
    'extract',
    () => extractWheels(plan, wheels, packageDir, stage),
    (s) => s,
  );
  const { binding, graphAddon } = nativeLayout(stage);
  const built = `lib/napi-v${plan.napiVersion}/tfjs_binding.node`;
  await step(
    ctx,
    5,
    'build',
    () => buildBinding(tools, packageDir, plan.napiVersion, binding),
    () => `${built} (node-gyp, N-API ${plan.napiVersion})`,
  );
  await step(
    ctx,
    6,
    'graph addon',
    () => buildGraphAddon(tools, packageDir, stage, graphAddon),
    () => `graph-addon/graph_addon.node (node-gyp, TensorFlow's C graph API)`,
  );
  return step(
    ctx,
    7,
    'check',
    async () => {
      await pruneBuildFiles(packageDir);
      await rm(wheelDir(stage), { recursive: true, force: true });
      await rm(join(stage, 'pack'), { recursive: true, force: true });
      const version = await bindingTensorflowVersion(binding);
      await checkGraphAddon(graphAddon);
      return version;
    },
    (version) => `the binding and the graph addon load TensorFlow ${version} in new node processes`,
  );
}

/**
 * Step 4: the library, headers and CUDA libraries into the package's deps/, after checking that
 * the disk holds them, then the links. Returns the log line's summary.
 */
async function extractWheels(
  plan: InstallPlan,
  wheels: WheelsInHand,
  packageDir: string,
  stage: string,
): Promise<string> {
  const tensorflow = selectMembers(wheels.tensorflow, tensorflowMemberDestination);
  const cuda = wheels.cuda.flatMap((wheel) => selectMembers(wheel, cudaMemberDestination));
  const members = [...tensorflow, ...cuda];
  const bytes = extractedBytes(members);
  await ensureFreeSpace(stage, bytes + BUILD_MARGIN_BYTES);
  await extractMembers(members, packageDir);
  const links = [...plan.links, ...cudaLinks(cuda.map((member) => member.destination))];
  await createLinks(packageDir, links);
  const libraries = count(tensorflow, LIB_DIR);
  const headers = count(tensorflow, INCLUDE_DIR);
  const cudaPart = plan.withCudaLibraries ? `, ${cuda.length} CUDA libraries` : '';
  return `${libraries} libraries, ${headers} headers${cudaPart} (${megabytes(bytes)}) into deps/`;
}

function count(members: readonly SelectedMember[], dir: string): number {
  return members.filter((member) => member.destination.startsWith(`${dir}/`)).length;
}

function wheelDir(stage: string): string {
  return join(stage, 'wheels');
}
