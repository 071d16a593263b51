/**
 * Downloads the plan's TensorFlow wheel with the machine's own pip, so pip's index settings
 * (mirrors, local indexes, proxies, certificates) apply as they do for the user's Python work.
 */
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PipDownloadError, PipMissingError, PythonNotFoundError } from './errors.ts';
import { pipDownloadArgs, type InstallPlan } from './install-plan.ts';
import { lastLines, runProcess } from './run-process.ts';

/** pip may take long on a slow network; a stuck pip is stopped after this. */
const PIP_TIMEOUT_MS = 30 * 60_000;

/** Runs `python -m pip download` for the plan into `dest` and returns the wheel files there. */
export async function downloadWheels(
  python: string,
  plan: InstallPlan,
  dest: string,
  env: NodeJS.ProcessEnv,
): Promise<string[]> {
  await mkdir(dest, { recursive: true });
  let result;
  try {
    result = await runProcess(python, pipDownloadArgs(plan, dest), {
      env,
      timeoutMs: PIP_TIMEOUT_MS,
    });
  } catch {
    throw new PythonNotFoundError(python, env['PATH'] ?? '(unset)');
  }
  if (result.code !== 0) {
    if (/No module named pip\b/.test(result.stderr)) throw new PipMissingError(python);
    throw new PipDownloadError(plan.pipRequirement, result.code, pipReason(result.stderr));
  }
  const files = await readdir(dest);
  return files.filter((name) => name.endsWith('.whl')).map((name) => join(dest, name));
}

/** pip's `ERROR:` lines when it printed any (its warnings are noise here), else its last lines. */
function pipReason(stderr: string): string {
  const errors = stderr.split('\n').filter((line) => line.startsWith('ERROR:'));
  return errors.length > 0 ? lastLines(errors.join('\n'), 3) : lastLines(stderr, 3);
}
