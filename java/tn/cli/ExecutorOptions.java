package tn.cli;

import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import tn.jobs.Plan;
import tn.slurm.JobFile;
import tn.slurm.SbatchOptions;

import java.nio.file.Path;
import java.util.List;

/** Where a plan of steps runs: here, one step after another, or on Slurm, all at once (a picocli mixin). */
final class ExecutorOptions {
    enum Executor { local, slurm }

    @Option(order = 40, names = "--executor", defaultValue = "local", paramLabel = "local|slurm",
            description = "local: run the steps one after another in this process (default); slurm: submit every step "
                    + "as a Slurm job that waits for the steps it needs, all at once, with the options below.")
    Executor executor;

    @Option(order = 40, names = "--shards", defaultValue = "1", paramLabel = "N",
            description = "With --executor slurm: split each run into N shards, an array job and its merge (default: "
                    + "${DEFAULT-VALUE}, a job per run).")
    int shards;

    @Mixin
    SlurmOptions slurm;

    @Mixin
    WaitOptions wait;

    boolean onSlurm() {
        return executor == Executor.slurm;
    }

    /**
     * Refuses what the executor decides itself (which slice a run is, whether it resumes), and
     * Slurm's options with the local executor rather than ignoring them.
     */
    void check(CommandSpec spec, RunOptions run) {
        if (run.shard != null || run.resume) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--shard and --resume are the executor's: the "
                            + "same command continues what was interrupted, and --executor slurm --shards N splits the runs");
        }
        if (!onSlurm() && (shards != 1 || wait.wait || !slurm.sbatch().equals(SbatchOptions.none()))) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--shards, --wait and the Slurm options go with "
                            + "--executor slurm");
        }
    }

    /** Submits plan to Slurm, its jobs, scripts and logs in root/slurm; with --wait follows it to the end. */
    int submit(CommandSpec spec, Path root, Plan plan) {
        SlurmCommand.checkShards(spec, shards);
        JobFile jobs = new JobFile(SlurmCommand.typed(spec), Path.of("").toAbsolutePath(), Launcher.current(),
                slurm.sbatch(), shards, plan.steps(), List.of());
        return SlurmCommand.submit(spec, root.toAbsolutePath().normalize(), jobs, wait);
    }
}
