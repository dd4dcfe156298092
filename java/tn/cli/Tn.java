package tn.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import tn.io.InputException;
import tn.llama.LlamaException;
import tn.net.DownloadException;

import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * tn's command line. Exit codes: 0 success, 1 failure inside tn or llama.cpp, 2 bad usage
 * (unknown option, invalid value), 3 bad input (a missing, unreadable or invalid file, a download
 * the server refuses), 4 network failure (a download cut off: the same command resumes it).
 */
@Command(name = "tn", mixinStandardHelpOptions = true, versionProvider = Tn.Version.class,
        description = {"Finds transfer neurons in multilingual LLMs that run as GGUF files.",
                "Models run through llama.cpp, on CPU or GPU.", ""},
        subcommands = {CentroidsCommand.class, DetectCommand.class, SimilarityCommand.class, MknnCommand.class,
                LatentCommand.class, SpecificityCommand.class, QaCommand.class, LapeCommand.class, OverlapCommand.class,
                MergeCommand.class, CompareCommand.class, SweepCommand.class, ReportCommand.class,
                ModelCommand.class, DataCommand.class, DemoCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 success, 1 internal failure, 2 bad usage, 3 bad input, "
                + "4 network failure (run the same command again to resume)."})
public final class Tn implements Runnable {
    public static final int EXIT_FAILURE = 1, EXIT_USAGE = 2, EXIT_INPUT = 3, EXIT_NETWORK = 4;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");   // plots are drawn off screen, display or not
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
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionStrategy(parsed -> {
            try {
                return new CommandLine.RunLast().execute(parsed);
            } catch (VirtualMachineError e) {   // out of memory, a stack overflow: picocli lets errors through
                CommandLine line = parsed.commandSpec().commandLine();
                line.getErr().println("tn: error: " + describe(e));
                if (System.getenv("TN_DEBUG") != null) e.printStackTrace(line.getErr());
                return EXIT_FAILURE;
            }
        });
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println("tn: error: " + describe(e));
            if (System.getenv("TN_DEBUG") != null) e.printStackTrace(line.getErr());
            if (e instanceof InputException) return EXIT_INPUT;
            if (e instanceof DownloadException) return EXIT_NETWORK;
            if (e instanceof LlamaException le) return le.isInputError() ? EXIT_INPUT : EXIT_FAILURE;
            if (e instanceof IllegalArgumentException) return EXIT_USAGE;
            if (e instanceof UncheckedIOException) return EXIT_INPUT;
            return EXIT_FAILURE;
        });
        return cl;
    }

    /**
     * What went wrong, for people: the message of tn's own exceptions (which name the file and
     * field); for the JVM running out of memory (also when a worker thread did) what to change;
     * for an unexpected exception without a message, what it is and how to see where.
     */
    static String describe(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof OutOfMemoryError) {
                return String.format(java.util.Locale.ROOT, "out of memory: the JVM's heap of %.1f GB is full; give it "
                        + "more (TN_JAVA_OPTS=-Xmx...) or lower --batch, --ctx or the input's size",
                        Runtime.getRuntime().maxMemory() / 1e9);
            }
            if (c instanceof StackOverflowError) return "internal error: stack overflow (TN_DEBUG=1 shows where)";
        }
        String m = e.getMessage();
        return m != null && !m.isBlank() ? m : "internal error: " + e.getClass().getName() + " (TN_DEBUG=1 shows where)";
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Tn.class.getPackage().getImplementationVersion();
            return new String[] {"tn " + (v == null ? "(development build)" : v),
                    "llama.cpp: " + tn.llama.TnLibrary.INSTANCE.tn_llama_version(),
                    "CUDA: " + (tn.llama.TnLibrary.INSTANCE.tn_has_cuda() != 0 ? "yes" : "no")};
        }
    }
}
