package tn.cli;

import java.util.function.UnaryOperator;
import picocli.CommandLine.Model.CommandSpec;
import tn.io.Console;

/** What commands share of picocli. */
final class Cli {
    private Cli() {}

    /** The command line's own writers: results to out, progress and messages to err; settings named by their flags. */
    static Console console(CommandSpec spec) {
        return new Console(
                spec.commandLine().getOut(), spec.commandLine().getErr(), System.console() != null, flags(spec));
    }

    /** A setting's flag where the command has one (top_n: --top-n), else its own name. */
    static UnaryOperator<String> flags(CommandSpec command) {
        return name -> {
            String flag = "--" + name.replace('_', '-');
            return command.findOption(flag) != null ? flag : name;
        };
    }
}
