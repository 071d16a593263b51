/**
 * Command-line flags for every training setting, generated from the one settings table in
 * shared/training-settings.ts so names, defaults and help never drift apart.
 */
import { Option, type Command } from 'commander';
import { TRAINING_FIELDS, type TrainingSettings } from '../../shared/training-settings.ts';

type Key = keyof TrainingSettings;

/** `batchSize` -> `batch-size`. */
function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** Adds `--<setting>` for every numeric setting and `--no-<setting>` for every boolean one. */
export function addTrainingFlags(command: Command): Command {
  for (const [key, spec] of Object.entries(TRAINING_FIELDS)) {
    if (spec.kind === 'boolean') {
      command.addOption(new Option(`--no-${kebab(key)}`, `turn off: ${spec.doc}`));
      continue;
    }
    const option = new Option(
      `--${kebab(key)} <value>`,
      `${spec.doc} (default ${String(spec.default)})`,
    );
    command.addOption(option.argParser(numberOrText));
  }
  return command;
}

/** The training settings given as flags, unchecked: the trial-request parser checks them (paths `training.<setting>`). */
export function trainingFromFlags(
  options: Readonly<Record<string, unknown>>,
): Partial<Record<Key, unknown>> {
  const given: Partial<Record<Key, unknown>> = {};
  for (const key of Object.keys(TRAINING_FIELDS) as Key[]) {
    if (options[key] !== undefined) given[key] = options[key];
  }
  return given;
}

/** A number when the text is one; else the text itself, so the settings parser can name it in its error. */
function numberOrText(text: string): number | string {
  const n = Number(text);
  return text.trim() !== '' && Number.isFinite(n) ? n : text;
}
