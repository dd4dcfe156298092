package tn.cli;

import picocli.CommandLine.Model.CommandSpec;
import tn.io.Console;

/** What commands share of picocli. */
final class Cli {
    private Cli() {
    }

    /** The command line's own writers: results to out, progress and messages to err. */
    static Console console(CommandSpec spec) {
        return new Console(spec.commandLine().getOut(), spec.commandLine().getErr(), System.console() != null);
    }
}
