/**
 * Published genotypes as constants. They double as test fixtures.
 * NASNet-A is transcribed from the released TF-slim code (nets/nasnet/nasnet_utils.py,
 * NasNetANormalCell / NasNetAReductionCell: `operations`, `hiddenstate_indices`, `used_hiddenstates`).
 */
import type { Genotype } from './genotype.ts';
import { deepFreeze } from './schema.ts';

/**
 * NASNet-A exactly as released (TF-slim `nasnet_utils.py`, NasNetANormalCell and
 * NasNetAReductionCell), including its explicit output lists; as tables in
 * docs/nasnet.md#nasnet-a-cells.
 */
export const NASNET_A: Genotype = deepFreeze({
  normal: {
    blocks: [
      { inputA: 0, opA: 'sep_conv_5x5', inputB: 1, opB: 'sep_conv_3x3', combine: 'add' },
      { inputA: 1, opA: 'sep_conv_5x5', inputB: 1, opB: 'sep_conv_3x3', combine: 'add' },
      { inputA: 0, opA: 'avg_pool_3x3', inputB: 1, opB: 'identity', combine: 'add' },
      { inputA: 1, opA: 'avg_pool_3x3', inputB: 1, opB: 'avg_pool_3x3', combine: 'add' },
      { inputA: 0, opA: 'sep_conv_3x3', inputB: 0, opB: 'identity', combine: 'add' },
    ],
    // used_hiddenstates = [1, 0, 0, 0, 0, 0, 0]: everything but h_i is concatenated.
    output: [1, 2, 3, 4, 5, 6],
  },
  reduction: {
    blocks: [
      { inputA: 0, opA: 'sep_conv_5x5', inputB: 1, opB: 'sep_conv_7x7', combine: 'add' },
      { inputA: 0, opA: 'max_pool_3x3', inputB: 1, opB: 'sep_conv_7x7', combine: 'add' },
      { inputA: 0, opA: 'avg_pool_3x3', inputB: 1, opB: 'sep_conv_5x5', combine: 'add' },
      { inputA: 3, opA: 'identity', inputB: 2, opB: 'avg_pool_3x3', combine: 'add' },
      { inputA: 2, opA: 'sep_conv_3x3', inputB: 0, opB: 'max_pool_3x3', combine: 'add' },
    ],
    // used_hiddenstates = [1, 1, 1, 0, 0, 0, 0]: the outputs of blocks 1..4 are concatenated.
    output: [3, 4, 5, 6],
  },
});

/** Known genotypes by the name users type (`nas-ctl genotype show nasnet-a`). */
export const KNOWN_GENOTYPES: Readonly<Record<string, Genotype>> = Object.freeze({
  'nasnet-a': NASNET_A,
});
