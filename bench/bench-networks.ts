/** The networks bench:train trains (the PyTorch reference and its test use them too). */
import type { NetworkSettingsInput } from '../shared/network-plan.ts';

/** The benchmarked network: NASNet-A 2@384 for CIFAR, no aux head. */
export const NETWORK: NetworkSettingsInput = {
  cells: 2,
  filters: 384,
  imageSize: 32,
  classes: 10,
  skeleton: 'cifar',
  auxHead: false,
};
/** The tiny child: NASNet-A 1@48 on Fashion-MNIST-sized inputs, where per-call costs dominate. */
export const TINY: NetworkSettingsInput = {
  cells: 1,
  filters: 48,
  imageSize: 28,
  channels: 1,
  classes: 10,
  skeleton: 'cifar',
  auxHead: false,
};
