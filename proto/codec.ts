/**
 * Wire <-> domain for the trial request: the only code that knows both the generated wire types and
 * the domain types, one function each way per message. Decoding builds a plain value and hands it to
 * the domain parsers (parseTrialRequest, parseGenotype), so bad input fails with InvalidValueError and
 * the path of every violation (`genotype.normal.blocks[1].inputA`), exactly as from a JSON file.
 */
import { formatDatasetSpec } from '../shared/dataset-spec.ts';
import type { Block, Cell, Genotype } from '../shared/genotype.ts';
import { SKELETONS, type Skeleton } from '../shared/network-settings.ts';
import { OP_NAMES, type OpName } from '../shared/ops.ts';
import { COMBINES, type Combine } from '../shared/search-space.ts';
import type { TrainingSettings } from '../shared/training-settings.ts';
import { parseTrialRequest } from '../shared/trial-request.ts';
import type { TrialNetwork, TrialRequest } from '../shared/trial.ts';
import { parseGenotype } from '../shared/validate.ts';
import type { Block as WireBlock, Block__Output as WireBlockOut } from './gen/nas/v1/Block.ts';
import type { Cell as WireCell, Cell__Output as WireCellOut } from './gen/nas/v1/Cell.ts';
import type { Combine__Output as WireCombine } from './gen/nas/v1/Combine.ts';
import type {
  Genotype as WireGenotype,
  Genotype__Output as WireGenotypeOut,
} from './gen/nas/v1/Genotype.ts';
import type {
  NetworkSettings as WireNetwork,
  NetworkSettings__Output as WireNetworkOut,
} from './gen/nas/v1/NetworkSettings.ts';
import { Op, type Op__Output as WireOp } from './gen/nas/v1/Op.ts';
import type { Skeleton__Output as WireSkeleton } from './gen/nas/v1/Skeleton.ts';
import type {
  TrainRequest as WireRequest,
  TrainRequest__Output as WireRequestOut,
} from './gen/nas/v1/TrainRequest.ts';
import type {
  TrainingSettings as WireTraining,
  TrainingSettings__Output as WireTrainingOut,
} from './gen/nas/v1/TrainingSettings.ts';

/**
 * The generated wire enum, checked to have `OP_<NAME>` for every op name (proto/nas/v1/genotype.proto
 * `Op`): an op added to shared/ops.ts without its enum line, or before `npm run proto:gen`, is a
 * compile error here naming the missing value. Wire numbers live in the .proto file only.
 */
const WIRE_OPS = Op satisfies { readonly [N in OpName as `OP_${Uppercase<N>}`]: string };

function isWireOpKey(key: string): key is keyof typeof WIRE_OPS {
  return Object.hasOwn(WIRE_OPS, key);
}

/** The wire value of op `name`: `OP_` and its name in capitals (`sep_conv_3x3` is `OP_SEP_CONV_3X3`). */
export function opToWire(name: OpName): WireOp {
  const key = `OP_${name.toUpperCase()}`;
  if (!isWireOpKey(key)) throw new Error(`op ${name} has no value ${key} in the wire enum`);
  return WIRE_OPS[key];
}

const COMBINE_TO_WIRE = { add: 'COMBINE_ADD', concat: 'COMBINE_CONCAT' } as const satisfies Record<
  Combine,
  WireCombine
>;
const SKELETON_TO_WIRE = {
  cifar: 'SKELETON_CIFAR',
  imagenet: 'SKELETON_IMAGENET',
} as const satisfies Record<Skeleton, WireSkeleton>;

const OP_FROM_WIRE = new Map<unknown, OpName>(OP_NAMES.map((name) => [opToWire(name), name]));
const COMBINE_FROM_WIRE = new Map<unknown, Combine>(COMBINES.map((c) => [COMBINE_TO_WIRE[c], c]));
const SKELETON_FROM_WIRE = new Map<unknown, Skeleton>(
  SKELETONS.map((s) => [SKELETON_TO_WIRE[s], s]),
);

/**
 * Every training setting, each carried by the wire field of the same name: a setting added to the
 * domain's schema and missing here, or one the wire message lacks, is a compile error (before, a
 * key missing from a list was dropped silently).
 */
const TRAINING_ON_WIRE = {
  epochs: true,
  stepsPerEpoch: true,
  batchSize: true,
  learningRate: true,
  momentum: true,
  weightDecay: true,
  gradClipNorm: true,
  auxWeight: true,
  labelSmoothing: true,
  dropout: true,
  dropPathKeep: true,
  augmentCrop: true,
  augmentFlip: true,
  cutout: true,
  validationSize: true,
  seed: true,
  trainStep: true,
} as const satisfies {
  readonly [K in keyof TrainingSettings]: K extends keyof WireTrainingOut ? true : never;
};

/** The training settings the wire carries, in the domain's order. */
const TRAINING_KEYS = Object.freeze(
  Object.keys(TRAINING_ON_WIRE) as (keyof typeof TRAINING_ON_WIRE & keyof WireTrainingOut)[],
);

/** A domain value's wire form, or the wire value itself when it names nothing (so the parser can quote it). */
function fromTable(table: ReadonlyMap<unknown, string>, wire: unknown): unknown {
  return table.get(wire) ?? wire;
}

/** Encodes a trial request; `trialId` labels it in the trainer's log. */
export function trainRequestToWire(request: TrialRequest, trialId = ''): WireRequest {
  return {
    genotype: genotypeToWire(request.genotype),
    network: networkToWire(request.network),
    training: trainingToWire(request.training),
    dataset: formatDatasetSpec(request.dataset),
    trialId,
  };
}

/** Decodes a trial request; throws InvalidValueError naming every bad field (`genotype.normal.blocks[1].opA`). */
export function trainRequestFromWire(wire: WireRequestOut): TrialRequest {
  return parseTrialRequest({
    genotype: rawGenotype(wire.genotype),
    network: rawNetwork(wire.network),
    training: rawTraining(wire.training),
    dataset: wire.dataset,
  });
}

/** Encodes a genotype. An implicit output list (the paper's rule) travels as an empty list. */
export function genotypeToWire(genotype: Genotype): WireGenotype {
  return { normal: cellToWire(genotype.normal), reduction: cellToWire(genotype.reduction) };
}

/** Decodes a genotype; throws InvalidGenotypeError naming every bad field. */
export function genotypeFromWire(wire: WireGenotypeOut): Genotype {
  return parseGenotype(rawGenotype(wire));
}

function cellToWire(cell: Cell): WireCell {
  return { blocks: cell.blocks.map(blockToWire), output: [...(cell.output ?? [])] };
}

function blockToWire(block: Block): WireBlock {
  return {
    inputA: block.inputA,
    opA: opToWire(block.opA),
    inputB: block.inputB,
    opB: opToWire(block.opB),
    combine: COMBINE_TO_WIRE[block.combine],
  };
}

/** Encodes the network settings; an absent stem multiplier stays absent (the skeleton's default). */
export function networkToWire(network: TrialNetwork): WireNetwork {
  const { cells, filters, skeleton, auxHead, stemMultiplier } = network;
  const wire: WireNetwork = { cells, filters, skeleton: SKELETON_TO_WIRE[skeleton], auxHead };
  return stemMultiplier === undefined ? wire : { ...wire, stemMultiplier };
}

/** Encodes every training setting explicitly, so the trainer's defaults never apply to them. */
export function trainingToWire(training: TrainingSettings): WireTraining {
  return { ...training };
}

function rawGenotype(wire: WireGenotypeOut | null): unknown {
  if (wire === null) return undefined;
  return { normal: rawCell(wire.normal), reduction: rawCell(wire.reduction) };
}

function rawCell(wire: WireCellOut | null): unknown {
  if (wire === null) return undefined;
  const blocks = wire.blocks.map(rawBlock);
  return wire.output.length === 0 ? { blocks } : { blocks, output: [...wire.output] };
}

function rawBlock(wire: WireBlockOut): unknown {
  return {
    inputA: wire.inputA,
    opA: fromTable(OP_FROM_WIRE, wire.opA),
    inputB: wire.inputB,
    opB: fromTable(OP_FROM_WIRE, wire.opB),
    combine: fromTable(COMBINE_FROM_WIRE, wire.combine),
  };
}

function rawNetwork(wire: WireNetworkOut | null): unknown {
  if (wire === null) return undefined;
  const { cells, filters, auxHead, stemMultiplier } = wire;
  const skeleton = fromTable(SKELETON_FROM_WIRE, wire.skeleton);
  return stemMultiplier === undefined
    ? { cells, filters, skeleton, auxHead }
    : { cells, filters, skeleton, auxHead, stemMultiplier };
}

/** The settings present on the wire; absent ones are left out so the domain parser fills the defaults. */
function rawTraining(wire: WireTrainingOut | null): unknown {
  const raw: Record<string, unknown> = {};
  for (const key of TRAINING_KEYS) {
    const value = wire?.[key];
    if (value !== undefined) raw[key] = value;
  }
  return raw;
}
