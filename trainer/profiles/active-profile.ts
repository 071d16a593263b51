/**
 * The backend profile of the tfjs backend in use, by its name: the one place that maps a backend
 * to what it needs. A new backend is a new profile here, not a new `if` in the builder.
 */
import { tf } from '../tf.ts';
import type { BackendProfile } from './backend-profile.ts';
import { CPU_PROFILE, WASM_PROFILE } from './composed-profiles.ts';
import { TENSORFLOW_PROFILE } from './tensorflow-profile.ts';

const PROFILES: ReadonlyMap<string, BackendProfile> = new Map(
  [WASM_PROFILE, CPU_PROFILE, TENSORFLOW_PROFILE].map((p) => [p.backend, p]),
);

/** The profile of `backend`; a backend without one of its own (webgl, ...) gets cpu's. */
export function profileOf(backend: string): BackendProfile {
  return PROFILES.get(backend) ?? CPU_PROFILE;
}

/**
 * The profile of the active backend, with the kernels it cannot train without registered (a
 * trainer installs the full profile once, in setupBackend; tests that only init a backend get
 * what training needs).
 */
export function activeProfile(): BackendProfile {
  const profile = profileOf(tf.getBackend());
  const backend = tf.backend();
  if (!ensured.has(backend)) {
    profile.ensureKernels();
    ensured.add(backend);
  }
  return profile;
}

/**
 * Backend instances whose profile's kernels are registered: activeProfile runs for every layer of
 * every forward pass, and the registrations only need checking once per backend.
 */
const ensured = new WeakSet<object>();
