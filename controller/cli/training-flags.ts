/**
 * Command-line flags for every training setting, generated from the one settings table in
 * shared/training-settings.ts so names, defaults and help never drift apart.
 */
import { Option, type Command } from 'commander';
import { TRAINING_FIELDS } from '../../shared/training-settings.ts';
import { kebab, numberOrText } from './flag-values.ts';

/** Adds `--<setting>` for every numeric setting and `--no-<setting>` for every boolean one. */
export function addTrainingFlags(command: Command): Command {
  for (const { key, kind, doc, default: fallback } of TRAINING_FIELDS) {
    if (kind === 'boolean') {
      command.addOption(new Option(`--no-${kebab(key)}`, `turn off: ${doc}`));
      continue;
    }
    const option = new Option(`--${kebab(key)} <value>`, `${doc} (default ${String(fallback)})`);
    command.addOption(option.argParser(numberOrText));
  }
  return command;
}

/** The training settings given as flags, unchecked: the trial-request parser checks them (paths `training.<setting>`). */
export function trainingFromFlags(
  options: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const given: Record<string, unknown> = {};
  for (const { key } of TRAINING_FIELDS) {
    if (options[key] !== undefined) given[key] = options[key];
  }
  return given;
}
