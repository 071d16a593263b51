/**
 * Command-line flags for every training setting, generated from the one settings table in
 * shared/training-settings.ts so names, defaults and help never drift apart. Each command passes the
 * defaults it really trains with (a search's child networks train shorter than `nas-ctl train`).
 */
import { Option, type Command } from 'commander';
import { TRAINING_FIELDS, type TrainingSettings } from '../../shared/training-settings.ts';
import { kebab, numberOrText } from './flag-values.ts';

/** What the help adds to a default that is adapted to the dataset (see dataset-fit.ts). */
const ADAPTED: ReadonlyMap<string, string> = new Map([
  [
    'validationSize',
    'at most a tenth of the training split (not known ahead for folder: datasets)',
  ],
]);

/**
 * Adds `--<setting>` for every numeric setting, and `--<setting>` and `--no-<setting>` for every
 * boolean one, of which the help shows the one that changes the command's default (both are always
 * accepted; neither given leaves the default); the help states `defaults`, the values the command
 * uses when a flag is not given.
 */
export function addTrainingFlags(command: Command, defaults: TrainingSettings): Command {
  const values: ReadonlyMap<string, unknown> = new Map(Object.entries(defaults));
  for (const { key, kind, doc, values: allowed } of TRAINING_FIELDS) {
    const fallback = values.get(key);
    if (kind === 'boolean') {
      const on = new Option(`--${kebab(key)}`, `turn on: ${doc} (off by default)`);
      const off = new Option(`--no-${kebab(key)}`, `turn off: ${doc} (on by default)`);
      // --x first: commander then gives neither a default (a later --no-x would imply true).
      command.addOption(fallback === true ? on.hideHelp() : on);
      command.addOption(fallback === true ? off : off.hideHelp());
      continue;
    }
    const adapted = ADAPTED.get(key);
    const choices = allowed === undefined ? '' : `; one of ${allowed.join(', ')}`;
    const shown = `default ${String(fallback)}${adapted === undefined ? '' : `; ${adapted}`}${choices}`;
    const option = new Option(`--${kebab(key)} <value>`, `${doc} (${shown})`);
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
