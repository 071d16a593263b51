/**
 * A zsh completion script for a commander program, generated from its {@link completionModel}
 * like the bash one (same walk over the words typed), with each command's and option's
 * description shown beside it, choices for options with fixed choices, and `_files` for paths.
 */
import type { Command } from 'commander';
import {
  caseFunctions,
  completionModel,
  shellQuote as quote,
  type CompletionCommand,
  type PathKind,
} from './completion-model.ts';

/** The script `source <(nas-ctl completion zsh)` loads; its function is `_<name>` (`_nas_ctl`). */
export function zshCompletion(program: Command): string {
  const name = program.name();
  const fn = `_${name.replace(/[^A-Za-z0-9]/g, '_')}`;
  const commands = completionModel(program);
  return `#compdef ${name}
# zsh completion for ${name}, generated from its commands: source <(${name} completion zsh)
${caseFunctions(fn, commands.map(commandCase), commands.flatMap(valueCases))}

${fn}() {
  local cur="\${words[CURRENT]}" prev="\${words[CURRENT-1]}" cmdpath="" argument="" w
  local -a subs subdescs optdescs valued
  local -i skip=0 i
  ${fn}_command ""
  for (( i = 2; i < CURRENT; i++ )); do
    w="\${words[i]}"
    if (( skip )); then skip=0; continue; fi
    if [[ $w == -* ]]; then
      (( \${valued[(Ie)$w]} )) && skip=1
    elif (( \${subs[(Ie)$w]} )); then
      cmdpath="\${cmdpath:+$cmdpath }$w"
      ${fn}_command "$cmdpath"
    fi
  done
  if [[ $prev == -* ]] && (( \${valued[(Ie)$prev]} )); then
    ${fn}_value "$cmdpath $prev"
    return 0
  fi
  if [[ $cur == -* ]]; then
    _describe -t options option optdescs
  elif (( \${#subs} )); then
    _describe -t commands command subdescs
  elif [[ $argument == file ]]; then
    _files
  elif [[ $argument == dir ]]; then
    _files -/
  fi
}

# Loaded from fpath as _${name}: complete now; sourced: register with compdef.
if [[ $funcstack[1] == _${name} ]]; then
  ${fn} "$@"
elif (( $+functions[compdef] )); then
  compdef ${fn} ${name}
else
  autoload -Uz compinit && compinit && compdef ${fn} ${name}
fi
`;
}

/** One `case` arm setting what the command with this path offers. */
function commandCase(command: CompletionCommand): string {
  const subs = command.subcommands.map((s) => quote(s.name));
  const subdescs = command.subcommands.map((s) => quote(`${s.name}:${short(s.description)}`));
  const optdescs = command.options.flatMap((o) =>
    o.names.map((n) => quote(`${n}:${short(o.description)}`)),
  );
  const valued = command.options.filter((o) => o.takesValue).flatMap((o) => o.names.map(quote));
  return [
    `    ${quote(command.path)})`,
    `      subs=(${subs.join(' ')})`,
    `      subdescs=(${subdescs.join(' ')})`,
    `      optdescs=(${optdescs.join(' ')})`,
    `      valued=(${valued.join(' ')})`,
    `      argument=${quote(command.argument ?? '')} ;;`,
  ].join('\n');
}

/** The `case` arms completing the values of the command's options: choices, files, folders. */
function valueCases(command: CompletionCommand): string[] {
  return command.options.flatMap((option) => {
    const patterns = option.names.map((n) => quote(`${command.path} ${n}`)).join('|');
    if (option.choices !== null)
      return [`    ${patterns}) compadd -- ${option.choices.map(quote).join(' ')} ;;`];
    const generator = filesCall(option.path);
    return generator === null ? [] : [`    ${patterns}) ${generator} ;;`];
  });
}

function filesCall(kind: PathKind): string | null {
  return kind === 'file' ? '_files' : kind === 'dir' ? '_files -/' : null;
}

/** A description's first line, cut to fit beside the name. */
function short(text: string): string {
  const line = (text.split('\n')[0] ?? '').replace(/\s+/g, ' ').trim();
  return line.length > 70 ? `${line.slice(0, 67)}...` : line;
}
