package tn.cli;

import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import tn.io.Console;
import tn.run.BaselineSeeds;
import tn.run.Run;
import tn.run.RunContext;
import tn.run.RunInput;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * A command that runs a {@link Run} over a model: the model and output folder, the options every
 * run shares, and the step from options to run. {@code tn merge} takes the same step from the
 * command line a shard recorded, so a merged run is exactly the run its shards were slices of.
 */
abstract class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOption model;

    @Mixin
    OutOption out;

    @Mixin
    RunOptions run;

    @Mixin
    ForceOption force;

    /** What the run reads besides the model. */
    abstract RunInput input();

    /** The run these options describe, in context. */
    abstract Run newRun(RunContext context);

    /** The run as given on the command line. */
    final Run newRun() {
        return newRun(context(out.dir, commandLine()));
    }

    /**
     * The whole run a shard was a slice of, writing into outDir: what tn merge builds from the
     * command line the shard recorded.
     */
    final Run unsharded(Path outDir, Console console, List<String> commandLine) {
        return newRun(new RunContext(
                model.path, input(), outDir, run.settings().withShard(null).withResume(false), console, commandLine));
    }

    /** The neurons a command switches off, for the commands that do (and may repeat a baseline); else null. */
    DeactivationOptions deactivation() {
        return null;
    }

    @Override
    public Integer call() {
        List<Long> seeds = deactivation() == null ? List.of() : deactivation().seeds();
        if (seeds.size() > 1) {
            new BaselineSeeds(context(out.dir, commandLine()), seeds, this::seedRun).execute();
        } else {
            Run r = newRun().replace(force.force);
            r.execute();
            if (run.json.json) Outcome.json(spec, r.summary());
        }
        return 0;
    }

    /**
     * The run of one of several baselines: this command with --seed seed into dir, recording the
     * command line that runs it alone.
     */
    private Run seedRun(long seed, Path dir) {
        List<String> args = new ArrayList<>();
        List<String> typed = commandLine();
        for (int i = 0; i < typed.size(); i++) {
            String a = typed.get(i);
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            if (!SEED_OWN.contains(name)) {
                args.add(a);
            } else if (!a.contains("=")) {
                i++; // its value
            }
        }
        args.addAll(List.of("--seed", Long.toString(seed), "--out", dir.toString()));
        // BaselineSeeds keeps a seed's finished run and runs a stale one again, replacing it
        return deactivation().withSeed(seed, () -> newRun(context(dir, args)).replace(true));
    }

    /** The options a seed's run sets itself. */
    private static final Set<String> SEED_OWN = Set.of("--baseline-seeds", "--seed", "--out");

    private RunContext context(Path outDir, List<String> commandLine) {
        return new RunContext(model.path, input(), outDir, run.settings(), Cli.console(spec), commandLine);
    }

    /** tn's arguments as typed, for run.json and for tn merge. */
    private List<String> commandLine() {
        CommandLine.ParseResult parsed = spec.root().commandLine().getParseResult();
        return parsed == null ? List.of() : Arrays.asList(parsed.originalArgs().toArray(new String[0]));
    }
}
