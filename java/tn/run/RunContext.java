package tn.run;

import tn.io.Console;

import java.nio.file.Path;
import java.util.List;

/**
 * What every run is given: the model, its input, the folder it writes, how it goes, where it
 * talks, and the command line that made it (run.json's provenance, and what {@code tn merge}
 * replays to rebuild a sharded run; empty for a run made in code).
 */
public record RunContext(
        Path model, RunInput input, Path outDir, RunSettings settings, Console console, List<String> commandLine) {
    public RunContext {
        commandLine = List.copyOf(commandLine);
    }

    public RunContext(Path model, RunInput input, Path outDir, RunSettings settings, Console console) {
        this(model, input, outDir, settings, console, List.of());
    }

    public RunContext withOutDir(Path dir) {
        return new RunContext(model, input, dir, settings, console, commandLine);
    }

    public RunContext withSettings(RunSettings s) {
        return new RunContext(model, input, outDir, s, console, commandLine);
    }
}
