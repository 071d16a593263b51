/**
 * The plan of a whole network: stem, cells in build order, auxiliary head and head, with every
 * shape. It follows TF-slim nets/nasnet/nasnet.py (`_build_nasnet_base`, `_cifar_stem`,
 * `_imagenet_stem`, `_build_aux_head`). The complexity count and the tfjs builder both walk it.
 *
 * `skip_reduction_layer_input` (set in TF-slim's large ImageNet config) is not modelled: it changes
 * which tensor a normal cell after a reduction cell reads as h_{i-1}, but for N >= 2 both candidates
 * have the same shape, so parameters and multiply-adds are the same.
 */
import type { CellName, Genotype } from './genotype.ts';
import { planCell, type CellPlan, type CellPosition, type FeatureSource } from './cell-plan.ts';
import {
  AUX_POOL,
  branchFilters,
  IMAGENET_STEM_CELLS,
  parseNetworkSettings,
  stemFilters,
  stemOutputSize,
  type NetworkSettings,
  type NetworkSettingsInput,
} from './network-settings.ts';
import { validOutputSize, type Shape } from './shape.ts';
export type {
  NetworkSettings,
  NetworkSettingsInput,
  NetworkSize,
  Skeleton,
} from './network-settings.ts';

/** The stem: one 3x3 conv (no bias) -> BN; SAME stride 1 for CIFAR, VALID stride 2 for ImageNet. */
export interface StemPlan {
  readonly kernel: 3;
  readonly stride: 1 | 2;
  readonly padding: 'same' | 'valid';
  readonly filters: number;
  readonly input: Shape;
  readonly output: Shape;
}

/**
 * The auxiliary classifier, reading the output of cell `cell` (TF-slim `_build_aux_head`): ReLU ->
 * avg pool (VALID) -> 1x1 conv to `projectionFilters` -> BN -> ReLU -> conv to `hiddenFilters` with
 * a kernel the size of `pooled` (VALID, so 1x1 out) -> BN -> ReLU -> dense with bias. No conv has a bias.
 */
export interface AuxHeadPlan {
  readonly cell: number;
  readonly input: Shape;
  readonly pool: { readonly kernel: number; readonly stride: number };
  readonly pooled: Shape;
  readonly projectionFilters: number;
  readonly hiddenFilters: number;
  readonly classes: number;
}

/** The head: ReLU -> global average pool -> dropout -> dense with bias. */
export interface HeadPlan {
  readonly input: Shape;
  readonly classes: number;
}

/** The whole network, JSON-able: settings with defaults, stem, cells in build order, heads. */
export interface NetworkPlan {
  readonly settings: NetworkSettings;
  readonly stem: StemPlan;
  readonly cells: readonly CellPlan[];
  readonly auxHead: AuxHeadPlan | null;
  readonly head: HeadPlan;
}

/** Filters of the aux head's 1x1 projection and of its second conv (TF-slim `_build_aux_head`). */
export const AUX_FILTERS = Object.freeze({ projection: 128, hidden: 768 });

/** One cell to build: its kind, position and per-branch filters. */
interface CellSlot {
  readonly kind: CellName;
  readonly position: CellPosition;
  readonly filters: number;
}

/** Plans the network for `genotype`; throws InvalidValueError for bad settings, InvalidGenotypeError for bad states. */
export function planNetwork(genotype: Genotype, input: NetworkSettingsInput): NetworkPlan {
  const settings = parseNetworkSettings(input);
  const stem = planStem(settings);
  const cells: CellPlan[] = [];
  let current: { source: FeatureSource; shape: Shape } = { source: 'stem', shape: stem.output };
  let previous: typeof current | null = null;
  for (const slot of cellSlots(settings)) {
    const index = cells.length;
    const cell = planCell(genotype[slot.kind], { index, ...slot, current, previous });
    cells.push(cell);
    previous = current;
    current = { source: index, shape: cell.output };
  }
  const auxHead = settings.auxHead ? planAuxHead(cells, settings.classes) : null;
  return {
    settings,
    stem,
    cells,
    auxHead,
    head: { input: current.shape, classes: settings.classes },
  };
}

function planStem(settings: NetworkSettings): StemPlan {
  const { skeleton, imageSize, channels } = settings;
  const filters = stemFilters(skeleton, settings.filters, settings.stemMultiplier);
  const input: Shape = { height: imageSize, width: imageSize, channels };
  const size = stemOutputSize(skeleton, imageSize);
  return {
    kernel: 3,
    stride: skeleton === 'cifar' ? 1 : 2,
    padding: skeleton === 'cifar' ? 'same' : 'valid',
    filters,
    input,
    output: { height: size, width: size, channels: filters },
  };
}

/**
 * The cells in build order. ImageNet first has two reduction stem cells at int(f/4) and int(f/2)
 * (`_imagenet_stem`); then N normal cells at f, a reduction cell and N normal at 2f, a reduction
 * cell and N normal at 4f (`_build_nasnet_base`: filters double at each reduction cell).
 */
function cellSlots(settings: NetworkSettings): CellSlot[] {
  const f = branchFilters(settings.filters);
  const slots: CellSlot[] = [];
  if (settings.skeleton === 'imagenet') {
    for (let s = 0; s < IMAGENET_STEM_CELLS; s++) {
      const filters = Math.floor(f / 2 ** (IMAGENET_STEM_CELLS - s));
      slots.push({ kind: 'reduction', position: 'stem', filters });
    }
  }
  const stacks = [0, 1, 2] as const;
  for (const stack of stacks) {
    const filters = f * 2 ** stack;
    if (stack > 0) slots.push({ kind: 'reduction', position: stack, filters });
    for (let n = 0; n < settings.cells; n++)
      slots.push({ kind: 'normal', position: stack, filters });
  }
  return slots;
}

/** The aux head reads the last normal cell of stack 1 (TF-slim: `reduction_indices[1] - 1`). */
function planAuxHead(cells: readonly CellPlan[], classes: number): AuxHeadPlan {
  let cell: CellPlan | undefined;
  for (const c of cells) if (c.kind === 'normal' && c.position === 1) cell = c;
  if (cell === undefined) throw new Error('the network has no normal cell in stack 1');
  const input = cell.output;
  return {
    cell: cell.index,
    input,
    pool: AUX_POOL,
    pooled: {
      height: validOutputSize(input.height, AUX_POOL.kernel, AUX_POOL.stride),
      width: validOutputSize(input.width, AUX_POOL.kernel, AUX_POOL.stride),
      channels: input.channels,
    },
    projectionFilters: AUX_FILTERS.projection,
    hiddenFilters: AUX_FILTERS.hidden,
    classes,
  };
}
