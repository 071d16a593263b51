/**
 * `<program> completion bash|zsh`: prints a shell completion script generated from the program's
 * own commands and options (runtime/bash-completion.ts, runtime/zsh-completion.ts), for nas-ctl
 * and nas-trainer alike.
 */
import { Argument, type Command } from 'commander';
import { bashCompletion } from './bash-completion.ts';
import { zshCompletion } from './zsh-completion.ts';

/** The shells a script is generated for, and their generators. */
const SHELLS = { bash: bashCompletion, zsh: zshCompletion } as const;

/** Adds `completion <shell>` to `program`; the script covers every command, this one included. */
export function addCompletionCommand(program: Command): void {
  const name = program.name();
  program
    .command('completion')
    .description(`print a shell completion script for ${name} (bash or zsh)`)
    .addArgument(new Argument('<shell>', 'the shell').choices(Object.keys(SHELLS)))
    .addHelpText(
      'after',
      `\nInstall: add  source <(${name} completion bash)  to ~/.bashrc, or\n` +
        `source <(${name} completion zsh)  to ~/.zshrc (after compinit).`,
    )
    .action((shell: keyof typeof SHELLS) => {
      process.stdout.write(SHELLS[shell](program));
    });
}
