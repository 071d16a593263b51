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

/** The TensorFlow version `binding` reports, e.g. `2.21.0`; throws BindingLoadError if it fails. */
export async function bindingTensorflowVersion(binding: string): Promise<string> {
  let result;
  try {
    result = await runProcess(process.execPath, ['-e', PRINT_VERSION, binding], {
      timeoutMs: LOAD_TIMEOUT_MS,
    });
  } catch (err) {
    throw new BindingLoadError(binding, err instanceof Error ? err.message : String(err));
  }
  const version = result.stdout.trim();
  if (result.code !== 0) {
    throw new BindingLoadError(binding, `exit ${result.code}: ${lastLines(result.stderr, 3)}`);
  }
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
  let result;
  try {
    result = await runProcess(process.execPath, ['-e', NEW_GRAPH, addon], {
      timeoutMs: LOAD_TIMEOUT_MS,
    });
  } catch (err) {
    throw new BindingLoadError(addon, err instanceof Error ? err.message : String(err));
  }
  if (result.code !== 0) {
    throw new BindingLoadError(addon, `exit ${result.code}: ${lastLines(result.stderr, 3)}`);
  }
  if (result.stdout.trim() !== '0') {
    throw new BindingLoadError(addon, `an empty graph holds "${result.stdout.trim()}" ops, not 0`);
  }
}
