/**
 * The `--skeleton` flag of every command that builds a network: `cifar`, `imagenet`, or `auto`
 * (the default), which picks by the input's size. The one place that decides what `auto` means.
 */
import { Option } from 'commander';
import { SKELETONS, type Skeleton } from '../../shared/network-settings.ts';
import { datasetFacts } from '../../shared/dataset-facts.ts';
import type { DatasetSpec } from '../../shared/dataset-spec.ts';

/** The values `--skeleton` takes. */
export const SKELETON_CHOICES = Object.freeze(['auto', ...SKELETONS] as const);

/** A `--skeleton` value: a skeleton, or `auto`. */
export type SkeletonChoice = (typeof SKELETON_CHOICES)[number];

/**
 * Largest input, in pixels (the longer side), for which `auto` picks the CIFAR skeleton: the NASNet
 * paper trains 32x32 CIFAR with it and 224x224 / 331x331 ImageNet with the ImageNet stem, whose
 * stride-2 stem and two stem cells shrink an image 8-fold before the first normal cell.
 */
export const AUTO_CIFAR_MAX_IMAGE = 64;

/** The `--skeleton` option, default `auto`. */
export function skeletonOption(): Option {
  return new Option(
    '--skeleton <kind>',
    `network skeleton: cifar, imagenet, or auto (cifar for images up to ${AUTO_CIFAR_MAX_IMAGE} px, imagenet above)`,
  )
    .choices([...SKELETON_CHOICES])
    .default('auto');
}

/** The skeleton `choice` means for images `imageSize` pixels on their longer side. */
export function resolveSkeleton(choice: SkeletonChoice, imageSize: number): Skeleton {
  if (choice !== 'auto') return choice;
  return imageSize <= AUTO_CIFAR_MAX_IMAGE ? 'cifar' : 'imagenet';
}

/** The skeleton `choice` means for `dataset`'s images (its spec tells their size before a byte is read). */
export function resolveSkeletonFor(choice: SkeletonChoice, dataset: DatasetSpec): Skeleton {
  const { height, width } = datasetFacts(dataset).image;
  return resolveSkeleton(choice, Math.max(height, width));
}
