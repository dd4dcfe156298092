package tn.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** tn completion: the bash (and zsh) completion script of tn's commands and options, from picocli. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Prints a bash completion script for tn: its commands, options and enum values.", "",
                "Load it in the current shell with  source <(tn completion)  or keep it: "
                        + "tn completion > ~/.local/share/bash-completion/completions/tn. It works in zsh too, after "
                        + "autoload -U +X bashcompinit && bashcompinit."})
final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(AutoComplete.bash("tn", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
