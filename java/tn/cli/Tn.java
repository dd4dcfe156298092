package tn.cli;

import tn.bridge.TnLibrary;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import tn.io.InputException;
import tn.io.InvalidValueException;
import tn.bridge.LlamaException;
import tn.net.DownloadException;
import tn.run.OutputFolder;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * tn's command line. Exit codes: 0 success, 1 failure inside tn or llama.cpp, 2 bad usage
 * (unknown option, invalid value), 3 bad input (a missing, unreadable or invalid file, a download
 * the server refuses), 4 network failure (a download cut off: the same command resumes it).
 */
@Command(name = "tn", mixinStandardHelpOptions = true, versionProvider = Tn.Version.class,
        description = {"Finds transfer neurons in multilingual LLMs that run as GGUF files.",
                "Models run through llama.cpp, on CPU or GPU.", ""},
        subcommands = {CentroidsCommand.class, DetectCommand.class, SimilarityCommand.class, MknnCommand.class,
                LatentCommand.class, SpecificityCommand.class, QaCommand.class, QaCompareCommand.class,
                ReasoningCommand.class, LapeCommand.class, OverlapCommand.class, MergeCommand.class, SlurmCommand.class,
                CompareCommand.class, SweepCommand.class, StudyCommand.class, ReportCommand.class, ModelCommand.class,
                DataCommand.class, DemoCommand.class, CompletionCommand.class, CommandLine.HelpCommand.class},
        footer = {"",
                "Exit codes: 0 success, 1 internal failure, 2 bad usage, 3 bad input, "
                        + "4 network failure (run the same command again to resume)."})
public final class Tn implements Runnable {
    public static final int EXIT_FAILURE = 1, EXIT_USAGE = 2, EXIT_INPUT = 3, EXIT_NETWORK = 4;

    @CommandLine.Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true"); // plots are drawn off screen, display or not
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return commandLine(null);
    }

    /** tn's command line with relative paths read against base (null: the working directory). */
    static CommandLine commandLine(Path base) {
        CommandLine cl = new CommandLine(new Tn());
        PathConverter paths = new PathConverter(base);
        cl.registerConverter(Path.class, paths);
        cl.registerConverter(LanguageFile.class, new LanguageFile.Converter(paths));
        cl.registerConverter(RankingEntry.class, new RankingEntry.Converter(paths));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionStrategy(parsed -> {
            try {
                Integer refused = checkOut(parsed);
                if (refused != null) return refused;
                return new CommandLine.RunLast().execute(parsed);
            } catch (VirtualMachineError | LinkageError e) { // picocli lets errors through, unwrapped
                if (e instanceof VirtualMachineError && exhausted(e) == null) throw e; // nothing tn can say better
                return report(e, parsed.commandSpec().commandLine());
            }
        });
        cl.setExecutionExceptionHandler((e, line, parsed) -> report(e, line));
        HelpText.install(cl);
        cl.setParameterExceptionHandler((e, args) -> {
            UsageErrors.lines(e).forEach(e.getCommandLine().getErr()::println);
            return EXIT_USAGE;
        });
        return cl;
    }

    /**
     * Refuses an --out that would overwrite or write into the command's inputs, or into a system
     * folder, before the command reads anything; null when there is nothing to refuse.
     */
    private static Integer checkOut(CommandLine.ParseResult parsed) {
        CommandLine.ParseResult command = CommandPaths.leaf(parsed);
        Path out = CommandPaths.out(command);
        if (out == null || command.isUsageHelpRequested() || command.isVersionHelpRequested()) return null;
        try {
            OutputFolder.checkPlace(out, CommandPaths.outIsFolder(command), CommandPaths.inputs(command));
            return null;
        } catch (RuntimeException e) {
            return report(e, command.commandSpec().commandLine());
        }
    }

    /** Says a command's failure on stderr (with the trace where TN_DEBUG is set); returns its exit code. */
    private static int report(Throwable e, CommandLine line) {
        Failure f = failure(e, line.getCommandSpec());
        line.getErr().println("tn: " + f.message());
        if (System.getenv("TN_DEBUG") != null) e.printStackTrace(line.getErr());
        return f.exitCode();
    }

    /** What a command's failure tells the user, and the exit code it ends with. */
    record Failure(int exitCode, String message) {}

    /**
     * The one mapping from failures to exit codes: a setting that cannot be used is bad usage (2),
     * named by its flag; a file, download or model at fault is bad input (3); a download cut off
     * is the network's (4); llama.cpp failing on good input is a failure (1); the JVM out of memory
     * or stack (also in a worker thread) is a failure (1) that says what to change; a native library
     * that cannot load (JNA's copy of it to a full /tmp) is a failure (1) in one line; anything else
     * is a bug in tn (1), and says so.
     */
    static Failure failure(Throwable e, CommandSpec command) {
        String exhausted = exhausted(e);
        if (exhausted != null) return new Failure(EXIT_FAILURE, exhausted);
        if (e instanceof LinkageError) {
            Throwable root = e;
            while (root.getCause() != null) root = root.getCause();
            return new Failure(EXIT_FAILURE,
                    "error: cannot load tn's native library: "
                            + String.valueOf(root.getMessage()).lines().findFirst().orElse(root.toString()));
        }
        UnaryOperator<String> flags = Cli.flags(command);
        if (e instanceof InvalidValueException v) return new Failure(EXIT_USAGE, "error: " + v.wording().render(flags));
        if (e instanceof InputException i) {
            return new Failure(
                    EXIT_INPUT, "error: " + (i.wording() != null ? i.wording().render(flags) : i.getMessage()));
        }
        if (e instanceof DownloadException) return new Failure(EXIT_NETWORK, "error: " + e.getMessage());
        if (e instanceof LlamaException l)
            return new Failure(l.isInputError() ? EXIT_INPUT : EXIT_FAILURE, "error: " + e.getMessage());
        if (e instanceof UncheckedIOException) return new Failure(EXIT_INPUT, "error: " + e.getMessage());
        return new Failure(EXIT_FAILURE,
                "internal error: " + e + "\nThis is a bug in tn. Please report it with the command "
                        + "line and what the same command prints with TN_DEBUG=1 set.");
    }

    /**
     * For the JVM running out of memory or stack (also when a worker thread did, the cause of
     * what reached the command): what to change, without the trace; null for anything else.
     */
    static String exhausted(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof OutOfMemoryError) {
                return String.format(java.util.Locale.ROOT,
                        "error: out of memory: the JVM's heap of %.1f GB is full; give it "
                                + "more (TN_JAVA_OPTS=-Xmx...) or lower --batch, --ctx or the input's size",
                        Runtime.getRuntime().maxMemory() / 1e9);
            }
            if (c instanceof StackOverflowError) return "internal error: stack overflow (TN_DEBUG=1 shows where)";
        }
        return null;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Tn.class.getPackage().getImplementationVersion();
            return new String[] {"tn " + (v == null ? "(development build)" : v),
                    "llama.cpp: " + tn.bridge.TnLibrary.INSTANCE.tn_llama_version(),
                    "CUDA: " + (tn.bridge.TnLibrary.INSTANCE.tn_has_cuda() != 0 ? "yes" : "no")};
        }
    }
}
