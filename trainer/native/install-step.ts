/** The install's context and its numbered, timed steps: one log line per step with its duration. */

/** Where the install runs and reports. */
export interface InstallContext {
  /** Environment: the install root (NAS_NATIVE_DIR, XDG_CACHE_HOME), PATH, CXX, pip's settings. */
  readonly env: NodeJS.ProcessEnv;
  /** Receives one line per step, and the outcome. */
  readonly log: (line: string) => void;
  readonly platform: string;
  readonly arch: string;
}

/** Steps the log numbers: tools, wheel, package, extract, build, graph addon, check. */
export const STEP_COUNT = 7;

/** Runs `run` and logs `[index/7] title: <describe(result)> (1.2 s)`; returns the result. */
export async function step<T>(
  ctx: InstallContext,
  index: number,
  title: string,
  run: () => Promise<T>,
  describe: (value: T) => string,
): Promise<T> {
  const started = performance.now();
  const value = await run();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  ctx.log(`[${index}/${STEP_COUNT}] ${title}: ${describe(value)} (${seconds} s)`);
  return value;
}
