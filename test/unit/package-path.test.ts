/** runtime/package-path.ts: the package's root is the repository root, from the sources. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT, packagePath } from '../../runtime/package-path.ts';
import { PROTO_ROOT } from '../../proto/load.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');

describe('packagePath', () => {
  it('finds the repository root and the files read at run time under it', () => {
    expect(PACKAGE_ROOT).toBe(REPO);
    expect(PROTO_ROOT).toBe(`${REPO}/proto`);
    for (const file of [
      packagePath('package.json'),
      packagePath('bin', 'nas-trainer.js'),
      packagePath('proto', 'nas', 'v1', 'trainer_service.proto'),
      packagePath('controller', 'dashboard', 'page', 'index.html'),
    ]) {
      expect(existsSync(file), file).toBe(true);
    }
  });
});
