/** Read-only access to a run for the report commands: open, read, close. */
import { openRunStore, type RunStore } from '../store/index.ts';

/** Opens the run in `dir` read-only, passes it to `read`, and closes it whatever happens. */
export async function readRun<T>(
  dir: string,
  read: (store: RunStore) => T | Promise<T>,
): Promise<T> {
  const store = openRunStore(dir, { readonly: true });
  try {
    return await read(store);
  } finally {
    store.close();
  }
}
