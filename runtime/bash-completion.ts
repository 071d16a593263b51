/**
 * A bash completion script for a commander program, generated from its {@link completionModel}:
 * subcommands, options, the choices of options with fixed choices, and files or folders for path
 * values and arguments. The script walks the words typed so far to find the command, skipping the
 * values of options that take one, then offers what fits that command and the word being typed.
 */
import type { Command } from 'commander';
import {
  caseFunctions,
  completionModel,
  shellQuote as quote,
  type CompletionCommand,
  type PathKind,
} from './completion-model.ts';

/** The script `source <(nas-ctl completion bash)` loads; its function is `_<name>` (`_nas_ctl`). */
export function bashCompletion(program: Command): string {
  const name = program.name();
  const fn = `_${name.replace(/[^A-Za-z0-9]/g, '_')}`;
  const commands = completionModel(program);
  return `# bash completion for ${name}, generated from its commands: source <(${name} completion bash)
${caseFunctions(fn, commands.map(commandCase), commands.flatMap(valueCases))}

${fn}() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="" path="" skip=0 i w
  local subs="" opts="" valued="" argument=""
  (( COMP_CWORD > 0 )) && prev="\${COMP_WORDS[COMP_CWORD-1]}"
  # --flag=value: bash splits it into --flag, = and value.
  if [[ $prev == "=" ]] && (( COMP_CWORD > 1 )); then prev="\${COMP_WORDS[COMP_CWORD-2]}"; fi
  if [[ $cur == "=" ]]; then cur=""; fi
  ${fn}_command ""
  for (( i = 1; i < COMP_CWORD; i++ )); do
    w="\${COMP_WORDS[i]}"
    if (( skip )); then skip=0; continue; fi
    if [[ $w == "=" ]]; then skip=1; continue; fi
    if [[ $w == -* ]]; then
      [[ " $valued " == *" $w "* ]] && skip=1
    elif [[ " $subs " == *" $w "* ]]; then
      path="\${path:+$path }$w"
      ${fn}_command "$path"
    fi
  done
  COMPREPLY=()
  if [[ $prev == -* && " $valued " == *" $prev "* ]]; then
    ${fn}_value "$path $prev"
    return 0
  fi
  if [[ $cur == -* ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
  elif [[ -n $subs ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$subs" -- "$cur")
  elif [[ $argument == file ]]; then
    mapfile -t COMPREPLY < <(compgen -f -- "$cur")
  elif [[ $argument == dir ]]; then
    mapfile -t COMPREPLY < <(compgen -d -- "$cur")
  fi
  return 0
}

complete -o filenames -F ${fn} ${name}
`;
}

/** One `case` arm setting what the command with this path offers. */
function commandCase(command: CompletionCommand): string {
  const subs = command.subcommands.map((s) => s.name);
  const opts = command.options.flatMap((o) => o.names);
  const valued = command.options.filter((o) => o.takesValue).flatMap((o) => o.names);
  return `    ${quote(command.path)}) subs=${quote(subs.join(' '))}; opts=${quote(opts.join(' '))}; valued=${quote(valued.join(' '))}; argument=${quote(command.argument ?? '')} ;;`;
}

/** The `case` arms completing the values of the command's options: choices, files, folders. */
function valueCases(command: CompletionCommand): string[] {
  return command.options.flatMap((option) => {
    const patterns = option.names.map((n) => quote(`${command.path} ${n}`)).join('|');
    if (option.choices !== null) {
      const words = quote(option.choices.join(' '));
      return [`    ${patterns}) mapfile -t COMPREPLY < <(compgen -W ${words} -- "$cur") ;;`];
    }
    const generator = pathGenerator(option.path);
    return generator === null
      ? []
      : [`    ${patterns}) mapfile -t COMPREPLY < <(compgen ${generator} -- "$cur") ;;`];
  });
}

function pathGenerator(kind: PathKind): string | null {
  return kind === 'file' ? '-f' : kind === 'dir' ? '-d' : null;
}
