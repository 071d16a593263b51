/**
 * Settings of the network a genotype is stacked into (the skeleton around the cells), their
 * defaults and their validation, plus the paper's "N@F" size notation.
 */
import { InvalidValueError, type Violation } from './errors.ts';
import { sameOutputSize, validOutputSize } from './shape.ts';

/** The two network skeletons of the NASNet paper: a CIFAR stem, or the ImageNet stem with two stem cells. */
export type Skeleton = 'cifar' | 'imagenet';

/** Every skeleton. */
export const SKELETONS: readonly Skeleton[] = Object.freeze(['cifar', 'imagenet'] as const);

/** Settings as a caller writes them: `channels` and `stemMultiplier` may be left out. */
export interface NetworkSettingsInput {
  /** N: normal cells per stack (there are three stacks). */
  readonly cells: number;
  /** F of "N@F": filters of the penultimate layer, 24 times the first stack's per-branch filters. */
  readonly filters: number;
  /** Height and width of the square input image. */
  readonly imageSize: number;
  /** Channels of the input image; 3 when left out. */
  readonly channels?: number;
  /** Classes of the dense output layer (and of the auxiliary head). */
  readonly classes: number;
  readonly skeleton: Skeleton;
  /** Whether the auxiliary classifier after the second stack is built. */
  readonly auxHead: boolean;
  /** Stem width factor; 3 for CIFAR and 1 for ImageNet (mobile) when left out. */
  readonly stemMultiplier?: number;
}

/** Validated settings with every default filled in. */
export type NetworkSettings = Required<NetworkSettingsInput>;

/** "N@F": normal cells per stack and penultimate filters. */
export interface NetworkSize {
  readonly cells: number;
  readonly filters: number;
}

/**
 * Penultimate filters per first-stack branch filter: NASNet-A's normal cell concatenates 6 branches
 * and filters double at each of the 2 reduction cells, so F = 6 * 4 * f (paper, section 4: 768 -> 32).
 */
export const FILTERS_PER_BRANCH_FILTER = 24;

/** Stem filters of the ImageNet skeleton before the multiplier (TF-slim nasnet.py, `_imagenet_stem`). */
export const IMAGENET_STEM_FILTERS = 32;

/** Reduction cells in the ImageNet stem (TF-slim nasnet.py, `_imagenet_stem`: `num_stem_cells = 2`). */
export const IMAGENET_STEM_CELLS = 2;

/** Default stem multipliers: TF-slim nasnet.py `cifar_config` (3.0) and `mobile_imagenet_config` (1.0). */
export const DEFAULT_STEM_MULTIPLIER: Readonly<Record<Skeleton, number>> = Object.freeze({
  cifar: 3,
  imagenet: 1,
});

/** Pooling window and stride of the auxiliary head (TF-slim nasnet.py, `_build_aux_head`). */
export const AUX_POOL = Object.freeze({ kernel: 5, stride: 3 });

const KEYS: readonly string[] = [
  'cells',
  'filters',
  'imageSize',
  'channels',
  'classes',
  'skeleton',
  'auxHead',
  'stemMultiplier',
];

/** The first stack's per-branch filters f = F / 24. */
export function branchFilters(filters: number): number {
  return filters / FILTERS_PER_BRANCH_FILTER;
}

/** Stem filters: `int(f * stemMultiplier)` for CIFAR, `int(32 * stemMultiplier)` for ImageNet (nasnet.py). */
export function stemFilters(skeleton: Skeleton, filters: number, stemMultiplier: number): number {
  const base = skeleton === 'cifar' ? branchFilters(filters) : IMAGENET_STEM_FILTERS;
  return Math.floor(base * stemMultiplier);
}

/** Height of the stem's output: SAME stride 1 (CIFAR) or VALID 3x3 stride 2 (ImageNet). */
export function stemOutputSize(skeleton: Skeleton, imageSize: number): number {
  return skeleton === 'cifar' ? imageSize : validOutputSize(imageSize, 3, 2);
}

/** Heights of the inputs of every reduction cell, in build order (ImageNet stem cells first). */
export function reductionInputSizes(skeleton: Skeleton, imageSize: number): number[] {
  const count = skeleton === 'cifar' ? 2 : 2 + IMAGENET_STEM_CELLS;
  const sizes: number[] = [];
  let size = stemOutputSize(skeleton, imageSize);
  for (let r = 0; r < count; r++) {
    sizes.push(size);
    size = sameOutputSize(size, 2);
  }
  return sizes;
}

/** Height of the feature map the auxiliary head reads: the output of the second stack. */
export function auxInputSize(skeleton: Skeleton, imageSize: number): number {
  const sizes = reductionInputSizes(skeleton, imageSize);
  return sizes[sizes.length - 1] ?? 0;
}

/** The smallest image size the skeleton accepts (CIFAR 3, ImageNet 19; 9 and 67 with the aux head). */
export function minImageSize(skeleton: Skeleton, auxHead = false): number {
  let size = 1;
  while (!fitsSkeleton(skeleton, size) || (auxHead && !fitsAuxHead(skeleton, size))) size++;
  return size;
}

/** True when every reduction cell halves a map of at least 2x2 (so each one really reduces). */
function fitsSkeleton(skeleton: Skeleton, imageSize: number): boolean {
  return reductionInputSizes(skeleton, imageSize).every((size) => size >= 2);
}

function fitsAuxHead(skeleton: Skeleton, imageSize: number): boolean {
  return auxInputSize(skeleton, imageSize) >= AUX_POOL.kernel;
}

/** Validates settings from any source, collecting every violation; returns them frozen with defaults filled in. */
export function parseNetworkSettings(value: unknown): NetworkSettings {
  if (!isRecord(value)) {
    throw new InvalidValueError('network settings', [{ path: '', message: 'expected an object' }]);
  }
  const v: Violation[] = [];
  for (const key of Object.keys(value)) {
    if (!KEYS.includes(key))
      v.push({ path: key, message: `unknown setting; allowed: ${KEYS.join(', ')}` });
  }
  const skeleton = skeletonOf(value.skeleton, v);
  const settings = {
    cells: positiveInteger(value.cells, 'cells', v),
    filters: filterCount(value.filters, 'filters', v),
    imageSize: positiveInteger(value.imageSize, 'imageSize', v),
    channels: positiveInteger(value.channels ?? 3, 'channels', v),
    classes: positiveInteger(value.classes, 'classes', v),
    skeleton: skeleton ?? 'cifar',
    auxHead: booleanOf(value.auxHead, 'auxHead', v),
    stemMultiplier: positiveNumber(
      value.stemMultiplier ?? DEFAULT_STEM_MULTIPLIER[skeleton ?? 'cifar'],
      'stemMultiplier',
      v,
    ),
  };
  if (skeleton !== undefined) checkSkeletonFit(settings, v);
  if (v.length > 0) throw new InvalidValueError('network settings', v);
  return Object.freeze(settings);
}

/** Parses "N@F" (for example "4@1056"): normal cells per stack and penultimate filters. */
export function parseNetworkSize(text: string): NetworkSize {
  const match = /^\s*(\d+)\s*@\s*(\d+)\s*$/.exec(text);
  if (match === null) {
    const message = `expected "N@F" such as "6@768", got ${JSON.stringify(text)}`;
    throw new InvalidValueError('network size', [{ path: '', message }]);
  }
  const v: Violation[] = [];
  const cells = positiveInteger(Number(match[1]), 'cells', v);
  const filters = filterCount(Number(match[2]), 'filters', v);
  if (v.length > 0) throw new InvalidValueError('network size', v);
  return Object.freeze({ cells, filters });
}

/** Writes a size in the paper's "N@F" notation. */
export function formatNetworkSize(size: NetworkSize): string {
  return `${size.cells}@${size.filters}`;
}

/** Checks that need several valid fields: ImageNet stem-cell width, image size, stem width. */
function checkSkeletonFit(s: NetworkSettings, v: Violation[]): void {
  const { skeleton, filters, imageSize, stemMultiplier } = s;
  if (skeleton === 'imagenet' && branchFilters(filters) < 4) {
    const message = `filters ${filters} leave the first imagenet stem cell int(f/4) = 0 filters; allowed: multiples of 24 from 96`;
    v.push({ path: 'filters', message });
  }
  if (!Number.isNaN(imageSize) && !fitsSkeleton(skeleton, imageSize)) {
    const message = `imageSize ${imageSize} is too small: every reduction cell of the ${skeleton} skeleton needs an input of at least 2x2; allowed: >= ${minImageSize(skeleton)}`;
    v.push({ path: 'imageSize', message });
  } else if (!Number.isNaN(imageSize) && s.auxHead && !fitsAuxHead(skeleton, imageSize)) {
    const size = auxInputSize(skeleton, imageSize);
    const message = `the aux head needs a feature map of at least ${AUX_POOL.kernel}x${AUX_POOL.kernel} after the second stack, but imageSize ${imageSize} gives ${size}x${size}; allowed: auxHead false or imageSize >= ${minImageSize(skeleton, true)}`;
    v.push({ path: 'auxHead', message });
  }
  if (!Number.isNaN(filters) && !Number.isNaN(stemMultiplier)) {
    if (stemFilters(skeleton, filters, stemMultiplier) < 1) {
      v.push({
        path: 'stemMultiplier',
        message: `stemMultiplier ${stemMultiplier} leaves the stem with 0 filters`,
      });
    }
  }
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value if it is a positive integer; otherwise records a violation and returns NaN. */
function positiveInteger(value: unknown, path: string, v: Violation[]): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value;
  v.push({ path, message: `expected a positive integer, got ${describe(value)}` });
  return Number.NaN;
}

function positiveNumber(value: unknown, path: string, v: Violation[]): number {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  v.push({ path, message: `expected a positive number, got ${describe(value)}` });
  return Number.NaN;
}

/** F of "N@F": a positive multiple of 24, so that the first stack's f = F / 24 is an integer. */
function filterCount(value: unknown, path: string, v: Violation[]): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) {
    if (value % FILTERS_PER_BRANCH_FILTER === 0) return value;
  }
  const message = `expected a positive multiple of ${FILTERS_PER_BRANCH_FILTER} (F = 24 f, f = first-stack filters per branch), got ${describe(value)}`;
  v.push({ path, message });
  return Number.NaN;
}

function skeletonOf(value: unknown, v: Violation[]): Skeleton | undefined {
  const found = SKELETONS.find((s) => s === value);
  if (found === undefined) {
    v.push({
      path: 'skeleton',
      message: `expected one of ${SKELETONS.join(', ')}, got ${describe(value)}`,
    });
  }
  return found;
}

function booleanOf(value: unknown, path: string, v: Violation[]): boolean {
  if (typeof value === 'boolean') return value;
  v.push({ path, message: `expected true or false, got ${describe(value)}` });
  return false;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return JSON.stringify(value) ?? typeof value;
}
