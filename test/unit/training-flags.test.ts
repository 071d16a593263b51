import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addTrainingFlags, trainingFromFlags } from '../../controller/cli/training-flags.ts';
import { SEARCH_TRAINING } from '../../controller/cli/search-plan.ts';
import { DEFAULT_TRAINING, type TrainingSettings } from '../../shared/training-settings.ts';

/** The training settings a command with `defaults` reads from `args`. */
function given(defaults: TrainingSettings, args: string[]): Record<string, unknown> {
  const command = addTrainingFlags(new Command().exitOverride(), defaults);
  command.parse(args, { from: 'user' });
  return trainingFromFlags(command.opts());
}

function help(defaults: TrainingSettings): string {
  return addTrainingFlags(new Command(), defaults).helpInformation().replace(/\s+/g, ' ');
}

describe('boolean training flags', () => {
  it('turn a setting on or off whatever its default, and leave it alone when not given', () => {
    for (const defaults of [SEARCH_TRAINING, DEFAULT_TRAINING]) {
      expect(given(defaults, ['--augment-crop', '--no-augment-flip'])).toEqual({
        augmentCrop: true,
        augmentFlip: false,
      });
      expect(given(defaults, ['--no-augment-crop', '--augment-flip'])).toEqual({
        augmentCrop: false,
        augmentFlip: true,
      });
      expect(given(defaults, [])).toEqual({});
    }
  });

  it("show in the help the flag that changes the command's default", () => {
    // A search trains without augmentation; `train` with it.
    expect(help(SEARCH_TRAINING)).toContain(
      '--augment-crop turn on: pad 4 pixels and crop at random (off by default)',
    );
    expect(help(SEARCH_TRAINING)).not.toContain('--no-augment-crop');
    expect(help(DEFAULT_TRAINING)).toContain(
      '--no-augment-crop turn off: pad 4 pixels and crop at random (on by default)',
    );
  });
});
