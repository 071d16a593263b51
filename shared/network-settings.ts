/**
 * Settings of the network a genotype is stacked into (the skeleton around the cells), their
 * defaults and their validation, plus the paper's "N@F" size notation. The skeleton rules and
 * their sources: docs/nasnet.md#skeletons.
 */
import { InvalidValueError, type Violation } from './errors.ts';
import { z } from 'zod';
import { count, decimal, describe, fields, flag, integer, oneOf, parseWith } from './schema.ts';
import { sameOutputSize, validOutputSize } from './shape.ts';

/** Every skeleton: the NASNet paper's CIFAR stem, or its ImageNet stem with two stem cells. */
export const SKELETONS = Object.freeze(['cifar', 'imagenet'] as const);

/** The two network skeletons of the NASNet paper. */
export type Skeleton = (typeof SKELETONS)[number];

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
 * and filters double at each of the 2 reduction cells, so F = 6 * 4 * f (paper, section 4: 768 -> 32;
 * see docs/nasnet.md#skeletons).
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

/**
 * N of "N@F": normal cells per stack, 1..20. The NASNet paper's largest networks use N = 6 (CIFAR,
 * Large) and N = 7 (docs/nasnet.md#published-sizes); 20 (62 cells, three times the deepest
 * published) leaves room for depth studies while refusing depths that take minutes just to build.
 */
export const MAX_CELLS = 20;
const CELLS = integer(1, MAX_CELLS, 'N: normal cells per stack');

/**
 * F of "N@F": a multiple of 24 (so that the first stack's f = F / 24 is an integer) up to 8064,
 * twice NASNet-Large's 4032, the widest published network (docs/nasnet.md#published-sizes).
 */
export const MAX_FILTERS = 2 * 4032;
const FILTERS = multipleOf(FILTERS_PER_BRANCH_FILTER, MAX_FILTERS, 'F of N@F, F = 24 f');

/**
 * The stem width factor, above 0 and at most 16: the paper uses 1 (Mobile) and 3 (CIFAR, Large;
 * docs/nasnet.md#skeletons); 16 is five times the widest, far beyond any published stem.
 */
export const MAX_STEM_MULTIPLIER = 16;
const STEM_MULTIPLIER = decimal(0, MAX_STEM_MULTIPLIER, 'stem width factor', { min: true });

/**
 * Height and width of the input image, 1..1024: the largest image a dataset spec can name (a
 * folder's `size`); NASNet-Large reads 331x331.
 */
export const MAX_IMAGE_SIZE = 1024;
const IMAGE_SIZE = integer(1, MAX_IMAGE_SIZE, 'height and width of the square input image');

/** A multiple of `step` in `step..max`, worded like the other builders of schema.ts. */
function multipleOf(step: number, max: number, doc: string): z.ZodNumber {
  const error = (issue: { readonly input?: unknown }): string =>
    `expected a multiple of ${step} in ${step}..${max} (${doc}), got ${describe(issue.input)}`;
  return z
    .number({ error })
    .int({ error })
    .min(step, { error })
    .max(max, { error })
    .multipleOf(step, { error })
    .describe(doc);
}

/** The network around the cells as a trial names it: image size, channels and classes come from the dataset. */
export const TRIAL_NETWORK_SCHEMA = fields(
  {
    cells: CELLS,
    filters: FILTERS,
    skeleton: oneOf(SKELETONS, 'the stem: cifar, or imagenet with two stem cells'),
    auxHead: flag('build the auxiliary head after the second stack'),
    stemMultiplier: STEM_MULTIPLIER.optional(),
  },
  'network settings {cells, filters, skeleton, auxHead, stemMultiplier?}',
);

/** Every network setting, defaults filled in, checked against the skeleton (image size, stem width). */
export const NETWORK_SETTINGS_SCHEMA = fields(
  {
    ...TRIAL_NETWORK_SCHEMA.shape,
    imageSize: IMAGE_SIZE,
    channels: count('channels of the input image').default(3),
    classes: count('classes of the output layer'),
  },
  'network settings',
)
  .superRefine((s, ctx) => {
    for (const v of skeletonFitViolations(s))
      ctx.addIssue({ code: 'custom', ...v, path: [v.path] });
  })
  // Every field in one fixed order, given or defaulted, so equal settings serialise equally.
  .transform((s): NetworkSettings => ({
    cells: s.cells,
    filters: s.filters,
    imageSize: s.imageSize,
    channels: s.channels,
    classes: s.classes,
    skeleton: s.skeleton,
    auxHead: s.auxHead,
    stemMultiplier: s.stemMultiplier ?? DEFAULT_STEM_MULTIPLIER[s.skeleton],
  }));

/** Validates settings from any source, collecting every violation; returns them frozen with defaults filled in. */
export function parseNetworkSettings(value: unknown): NetworkSettings {
  return parseWith(NETWORK_SETTINGS_SCHEMA, value, 'network settings');
}

/** Parses "N@F" (for example "4@1056"): normal cells per stack and penultimate filters. */
export function parseNetworkSize(text: string): NetworkSize {
  const match = /^\s*(\d+)\s*@\s*(\d+)\s*$/.exec(text);
  if (match === null) {
    const message = `expected "N@F" such as "6@768", got ${JSON.stringify(text)}`;
    throw new InvalidValueError('network size', [{ path: '', message }]);
  }
  const size = { cells: Number(match[1]), filters: Number(match[2]) };
  return parseWith(TRIAL_NETWORK_SCHEMA.pick({ cells: true, filters: true }), size, 'network size');
}

/** Writes a size in the paper's "N@F" notation. */
export function formatNetworkSize(size: NetworkSize): string {
  return `${size.cells}@${size.filters}`;
}

/** Checks that need several fields at once: ImageNet stem-cell width, image size, stem width. */
function skeletonFitViolations(s: {
  readonly skeleton: Skeleton;
  readonly filters: number;
  readonly imageSize: number;
  readonly auxHead: boolean;
  readonly stemMultiplier?: number | undefined;
}): Violation[] {
  const v: Violation[] = [];
  const { skeleton, filters, imageSize } = s;
  // Refinements also run after field errors: check only what parsed.
  if (!SKELETONS.includes(skeleton)) return v;
  const validFilters = Number.isSafeInteger(filters) && filters % FILTERS_PER_BRANCH_FILTER === 0;
  if (validFilters && skeleton === 'imagenet' && branchFilters(filters) < 4) {
    const message = `filters ${filters} leave the first imagenet stem cell int(f/4) = 0 filters; allowed: multiples of 24 from 96`;
    v.push({ path: 'filters', message });
  }
  if (Number.isSafeInteger(imageSize) && imageSize > 0 && !fitsSkeleton(skeleton, imageSize)) {
    const message = `imageSize ${imageSize} is too small: every reduction cell of the ${skeleton} skeleton needs an input of at least 2x2; allowed: >= ${minImageSize(skeleton)}`;
    v.push({ path: 'imageSize', message });
  } else if (
    Number.isSafeInteger(imageSize) &&
    s.auxHead === true &&
    !fitsAuxHead(skeleton, imageSize)
  ) {
    const size = auxInputSize(skeleton, imageSize);
    const message = `the aux head needs a feature map of at least ${AUX_POOL.kernel}x${AUX_POOL.kernel} after the second stack, but imageSize ${imageSize} gives ${size}x${size}; allowed: auxHead false or imageSize >= ${minImageSize(skeleton, true)}`;
    v.push({ path: 'auxHead', message });
  }
  const multiplier = s.stemMultiplier ?? DEFAULT_STEM_MULTIPLIER[skeleton];
  if (validFilters && multiplier > 0 && stemFilters(skeleton, filters, multiplier) < 1) {
    const message = `stemMultiplier ${multiplier} leaves the stem with 0 filters`;
    v.push({ path: 'stemMultiplier', message });
  }
  return v;
}
