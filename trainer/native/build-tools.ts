/**
 * Finds the programs the binding build needs before anything is downloaded: a C++ compiler, make,
 * Python (pip's and node-gyp's), npm's own node-gyp and Node's headers. Each missing one is a
 * clear error naming what was looked for and where.
 */
import { accessSync, constants, existsSync, realpathSync, statSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { BuildToolNotFoundError, CompilerNotFoundError, PythonNotFoundError } from './errors.ts';
import { runProcess } from './run-process.ts';

/** The programs found, as absolute paths (nodeDir: a folder). */
export interface BuildTools {
  readonly compiler: string;
  readonly make: string;
  readonly python: string;
  /** npm: the command and its leading arguments (`node npm-cli.js` or an `npm` on PATH). */
  readonly npm: readonly string[];
  /** npm's node-gyp.js, run with this Node.js. */
  readonly nodeGyp: string;
  /** Node's headers for `--nodedir`; undefined when absent (node-gyp then downloads them). */
  readonly nodeDir: string | undefined;
}

/** Environment the search reads (PATH, CXX, npm_config_node_gyp). */
export type ToolEnv = Readonly<Record<string, string | undefined>>;

/** Where npm keeps node-gyp, relative to npm's folder. */
const NODE_GYP_IN_NPM = join('node_modules', 'node-gyp', 'bin', 'node-gyp.js');
/** npm's folder relative to an install prefix (`/usr`, `~/.nvm/versions/node/v20.0.0`). */
const NPM_IN_PREFIX = join('lib', 'node_modules', 'npm');

/** `name` as an executable file: itself when it has a `/`, else the first match on PATH. */
export function findExecutable(name: string, env: ToolEnv): string | undefined {
  if (name.includes('/')) return isExecutable(name) ? name : undefined;
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** The C++ compiler node-gyp will use: `$CXX` (its first word) when set, else c++ or g++. */
export function findCompiler(env: ToolEnv): string {
  const cxx = env['CXX']?.trim().split(/\s+/)[0];
  const names = cxx !== undefined && cxx !== '' ? [cxx] : ['c++', 'g++'];
  for (const name of names) {
    const found = findExecutable(name, env);
    if (found !== undefined) return found;
  }
  const looked = cxx !== undefined && cxx !== '' ? `$CXX (${cxx})` : 'c++ and g++';
  throw new CompilerNotFoundError(looked, env['PATH'] ?? '(unset)');
}

/**
 * Where node-gyp may be, best first: npm's own when run under npm (`npm_config_node_gyp`), then in
 * the npm folders given (beside this Node.js, the npm on PATH, `npm prefix -g`).
 */
export function nodeGypCandidates(env: ToolEnv, npmDirs: readonly string[]): string[] {
  const fromNpm = env['npm_config_node_gyp'];
  return [
    ...(fromNpm !== undefined && fromNpm !== '' ? [fromNpm] : []),
    ...npmDirs.map((dir) => join(dir, NODE_GYP_IN_NPM)),
  ];
}

/** The Node.js headers folder for `--nodedir`: `<execPath>/../..` when it has include/node/node_api.h. */
export function nodeHeadersDir(execPath: string): string | undefined {
  const dir = dirname(dirname(execPath));
  return existsSync(join(dir, 'include', 'node', 'node_api.h')) ? dir : undefined;
}

/** Finds every build tool, or throws naming the first one missing. */
export async function findBuildTools(python: string, env: ToolEnv): Promise<BuildTools> {
  const path = env['PATH'] ?? '(unset)';
  const compiler = findCompiler(env);
  const make = findExecutable('make', env);
  if (make === undefined) {
    const hint = 'install it (Debian: apt-get install make)';
    throw new BuildToolNotFoundError('make', `make on PATH ${path}`, hint);
  }
  const pythonPath = findExecutable(python, env);
  if (pythonPath === undefined) throw new PythonNotFoundError(python, path);
  const npm = findNpm(env);
  return {
    compiler,
    make,
    python: pythonPath,
    npm,
    nodeGyp: await findNodeGyp(env, npm),
    nodeDir: nodeHeadersDir(process.execPath),
  };
}

/** npm: the one running this process, else the one beside this Node.js, else npm on PATH. */
function findNpm(env: ToolEnv): readonly string[] {
  const running = env['npm_execpath'];
  const besideNode = join(dirname(dirname(process.execPath)), NPM_IN_PREFIX, 'bin', 'npm-cli.js');
  for (const cli of [running, besideNode]) {
    if (cli?.endsWith('npm-cli.js') === true && existsSync(cli)) return [process.execPath, cli];
  }
  const onPath = findExecutable('npm', env);
  if (onPath !== undefined) return [onPath];
  const looked = `$npm_execpath, ${besideNode} and npm on PATH ${env['PATH'] ?? '(unset)'}`;
  throw new BuildToolNotFoundError('npm', looked, 'install npm beside this Node.js');
}

async function findNodeGyp(env: ToolEnv, npm: readonly string[]): Promise<string> {
  const cli = realpathSync(npm.at(-1) ?? '');
  const npmDirs = [join(dirname(dirname(process.execPath)), NPM_IN_PREFIX), dirname(dirname(cli))];
  const quick = nodeGypCandidates(env, npmDirs).find((file) => existsSync(file));
  if (quick !== undefined) return quick;
  const prefix = await npmGlobalPrefix(npm);
  const all = nodeGypCandidates(env, [
    ...npmDirs,
    ...(prefix === undefined ? [] : [join(prefix, NPM_IN_PREFIX)]),
  ]);
  const found = all.find((file) => existsSync(file));
  if (found !== undefined) return found;
  const hint =
    'run install-tensorflow through npx (npm ships node-gyp) or install npm beside this Node.js';
  throw new BuildToolNotFoundError('node-gyp', all.join(', '), hint);
}

async function npmGlobalPrefix(npm: readonly string[]): Promise<string | undefined> {
  const [file, ...args] = npm;
  if (file === undefined) return undefined;
  try {
    const result = await runProcess(file, [...args, 'prefix', '-g'], { timeoutMs: 30_000 });
    return result.code === 0 ? result.stdout.trim() : undefined;
  } catch {
    return undefined;
  }
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
