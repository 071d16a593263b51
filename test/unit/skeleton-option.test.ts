import { describe, expect, it } from 'vitest';
import { parseDatasetSpec } from '../../shared/dataset-spec.ts';
import {
  AUTO_CIFAR_MAX_IMAGE,
  resolveSkeleton,
  resolveSkeletonFor,
} from '../../controller/cli/skeleton-option.ts';

describe('--skeleton auto', () => {
  it('picks cifar up to 64 px and imagenet above; a given skeleton stays', () => {
    expect(resolveSkeleton('auto', AUTO_CIFAR_MAX_IMAGE)).toBe('cifar');
    expect(resolveSkeleton('auto', AUTO_CIFAR_MAX_IMAGE + 1)).toBe('imagenet');
    expect(resolveSkeleton('imagenet', 8)).toBe('imagenet');
    expect(resolveSkeleton('cifar', 224)).toBe('cifar');
  });

  it("resolves against the dataset's images, as the spec states them", () => {
    const auto = (spec: string): string => resolveSkeletonFor('auto', parseDatasetSpec(spec));
    expect(auto('fashion-mnist-small')).toBe('cifar');
    expect(auto('cifar10:/data/cifar')).toBe('cifar');
    expect(auto('synthetic:size=96')).toBe('imagenet');
    expect(resolveSkeletonFor('cifar', parseDatasetSpec('synthetic:size=96'))).toBe('cifar');
  });
});
