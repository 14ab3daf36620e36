package io.fleetplane.fleetctl;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/**
 * {@code fleetctl completion}: prints a shell completion script for every command and option, made
 * by picocli from the same definitions that parse the command line. Bash and zsh (with {@code
 * bashcompinit}) read it.
 */
@Command(
    name = "completion",
    description = {
      "Print a bash/zsh completion script for fleetctl's commands and options.",
      "Use: source <(bin/fleetctl completion), or save it in /etc/bash_completion.d/fleetctl."
    })
final class CompletionCommand extends Subcommand {

  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  int run() {
    root.out.print(AutoComplete.bash("fleetctl", spec.root().commandLine()));
    root.out.flush();
    return 0;
  }
}
