/** The genotype reader of the run store: stored genotype JSON parsed against the run's space. */
import type { Genotype } from '../../shared/genotype.ts';
import type { SearchSpace } from '../../shared/search-space.ts';
import { parseGenotype } from '../../shared/validate.ts';

/**
 * Parses stored genotype JSON against the run's space, remembering the last few hundred: a search
 * reads the same in-flight trials again and again, and parsing is most of the cost of a read.
 * Genotypes kept by the check on open are handed out once more without parsing, then forgotten.
 * Genotypes are deep-frozen values, so sharing one between records is safe.
 */
export class GenotypeReader {
  private readonly recent = new Map<string, Genotype>();
  private readonly kept = new Map<string, Genotype>();

  constructor(
    private readonly space: SearchSpace,
    private readonly capacity = 512,
  ) {}

  /**
   * The genotype stored as `json`; throws what `parseGenotype` throws. `keep`: hold it until it is
   * read once more (the open check keeps every trial's for the resume that reads them next).
   */
  read(json: string, keep = false): Genotype {
    const genotype =
      this.kept.get(json) ?? this.recent.get(json) ?? parseGenotype(JSON.parse(json), this.space);
    if (keep) {
      this.kept.set(json, genotype);
    } else {
      this.kept.delete(json);
      this.remember(json, genotype);
    }
    return genotype;
  }

  /** Forgets the kept genotypes not read again (they are parsed anew if ever read). */
  forgetKept(): void {
    this.kept.clear();
  }

  private remember(json: string, genotype: Genotype): void {
    if (this.recent.has(json)) return;
    if (this.recent.size >= this.capacity) {
      const [oldest] = this.recent.keys();
      if (oldest !== undefined) this.recent.delete(oldest);
    }
    this.recent.set(json, genotype);
  }
}
