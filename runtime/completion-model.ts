/**
 * What shell completion needs to know about a commander program, read from the program itself
 * (never a second list): each command's path, subcommands, options, which options take a value,
 * the values of options with fixed choices, and which values and arguments are files or folders.
 */
import type { Command, Option } from 'commander';

/** What a value or an argument completes to: a file, a folder, or nothing the shell can list. */
export type PathKind = 'file' | 'dir' | null;

/** One option of a command, as completion offers it. */
export interface CompletionOption {
  /** The names typed: `--strategy`, or `-h` and `--help`. */
  readonly names: readonly string[];
  readonly description: string;
  /** Whether a value follows (required: `<x>`); optional values (`[port]`) are not completed. */
  readonly takesValue: boolean;
  readonly choices: readonly string[] | null;
  readonly path: PathKind;
}

/** One command of the program: its words after the program's name ('' for the program). */
export interface CompletionCommand {
  readonly path: string;
  readonly description: string;
  readonly subcommands: readonly { readonly name: string; readonly description: string }[];
  readonly options: readonly CompletionOption[];
  /** What the command's positional arguments complete to (null: none, or nothing to list). */
  readonly argument: PathKind;
}

/** Every command of `program`, the program itself first, each before its subcommands. */
export function completionModel(program: Command): CompletionCommand[] {
  const found: CompletionCommand[] = [];
  const walk = (command: Command, path: string): void => {
    const visible = command.commands.filter((c) => !isHidden(c));
    found.push({
      path,
      description: command.description(),
      subcommands: visible.map((c) => ({ name: c.name(), description: c.description() })),
      options: [...command.options.filter((o) => !o.hidden).map(optionOf), HELP],
      argument: argumentOf(command),
    });
    for (const sub of visible) walk(sub, path === '' ? sub.name() : `${path} ${sub.name()}`);
  };
  walk(program, '');
  return found;
}

/** Commander's implicit help option, which `command.options` does not list. */
const HELP: CompletionOption = {
  names: ['-h', '--help'],
  description: 'display help for command',
  takesValue: false,
  choices: null,
  path: null,
};

function optionOf(option: Option): CompletionOption {
  const names = [option.short, option.long].filter((n): n is string => n !== undefined);
  const valueName = /[<[]([^>\]]*)[>\]]/.exec(option.flags)?.[1] ?? '';
  return {
    names,
    description: option.description,
    takesValue: option.required,
    choices: option.argChoices ?? null,
    path: option.required ? pathKindOf(valueName) : null,
  };
}

/** `<dir>`, `<run-dir>` are folders; `<file>`, `<name|file>`, `<images>`, `<genotype>` files. */
export function pathKindOf(valueName: string): PathKind {
  if (/dir/.test(valueName)) return 'dir';
  return /file|images|genotype|spec/.test(valueName) ? 'file' : null;
}

function argumentOf(command: Command): PathKind {
  const first = command.registeredArguments[0];
  return first === undefined ? null : pathKindOf(first.name());
}

/** Commands hidden from help (commander's `hidden` option) are hidden from completion too. */
function isHidden(command: Command): boolean {
  const hidden: unknown = Reflect.get(command, '_hidden');
  return hidden === true;
}

/** A word in single quotes, safe in any position of a bash or zsh script. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The two shell functions both completion scripts share: `<fn>_command PATH` sets the command
 * path's subcommands and options (`commandCases`), and `<fn>_value FLAG` completes a flag's value
 * (`valueCases`), returning 1 for a flag it does not know.
 */
export function caseFunctions(
  fn: string,
  commandCases: readonly string[],
  valueCases: readonly string[],
): string {
  return `${fn}_command() {
  case "$1" in
${commandCases.join('\n')}
  esac
}

${fn}_value() {
  case "$1" in
${valueCases.join('\n')}
    *) return 1 ;;
  esac
}`;
}
