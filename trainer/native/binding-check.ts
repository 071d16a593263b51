/**
 * Loads a built binding in a fresh Node.js process, as the trainer will, and reads the TensorFlow
 * version the C library reports. A child process keeps a crash or a missing library out of the
 * installer, and proves the RUNPATH works without help from the installer's environment.
 */
import { BindingLoadError } from './errors.ts';
import { lastLines, runProcess } from './run-process.ts';

/** `TF_Version` is a string property of tfjs-node's binding. */
const PRINT_VERSION =
  'const b = require(process.argv[1]); process.stdout.write(String(b.TF_Version));';

/** Loading libtensorflow_cc (~800 MB) takes a few seconds; a hang is a failure. */
const LOAD_TIMEOUT_MS = 120_000;

/**
 * What `script` prints when a fresh Node.js process runs it with `file` (a native module) as its
 * argument; throws BindingLoadError naming `file` when it cannot start or exits non-zero.
 */
async function printedBy(script: string, file: string): Promise<string> {
  let result;
  try {
    result = await runProcess(process.execPath, ['-e', script, file], {
      timeoutMs: LOAD_TIMEOUT_MS,
    });
  } catch (err) {
    throw new BindingLoadError(file, err instanceof Error ? err.message : String(err));
  }
  if (result.code !== 0) {
    throw new BindingLoadError(file, `exit ${result.code}: ${lastLines(result.stderr, 3)}`);
  }
  return result.stdout.trim();
}

/** The TensorFlow version `binding` reports, e.g. `2.21.0`; throws BindingLoadError if it fails. */
export async function bindingTensorflowVersion(binding: string): Promise<string> {
  const version = await printedBy(PRINT_VERSION, binding);
  if (!/^[0-9]+\.[0-9]+/.test(version)) {
    throw new BindingLoadError(binding, `TF_Version is "${version}", not a version`);
  }
  return version;
}

/** Creates an empty graph through the graph-step addon and prints its op count (`0`). */
const NEW_GRAPH =
  'const a = require(process.argv[1]); process.stdout.write(String(a.opCount(a.newGraph())));';

/**
 * Loads the graph-step addon in a fresh Node.js process and builds an empty graph with it, which
 * proves its RUNPATH finds the library; throws BindingLoadError if it fails.
 */
export async function checkGraphAddon(addon: string): Promise<void> {
  const ops = await printedBy(NEW_GRAPH, addon);
  if (ops !== '0') throw new BindingLoadError(addon, `an empty graph holds "${ops}" ops, not 0`);
}
