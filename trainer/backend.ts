/**
 * Brings up the tfjs backend a trainer process uses: load it, then install its backend profile
 * (../profiles): the kernels it composes, fills in or replaces on that backend.
 */
import { profileOf } from './profiles/active-profile.ts';
import { initBackend, type BackendChoice, type BackendInfo } from './tf.ts';

/** Options of {@link setupBackend}. */
export interface SetupOptions {
  /** Intra-op threads of a native backend (default: every core); wasm and cpu run one. */
  readonly threads?: number;
}

/** Loads the backend for `choice` and installs its profile. */
export async function setupBackend(
  choice: BackendChoice,
  options: SetupOptions = {},
): Promise<BackendInfo> {
  const info = await initBackend(choice, options);
  profileOf(info.backend).install();
  return info;
}
