package tn.cli;

import picocli.CommandLine.Option;
import tn.slurm.SbatchOptions;

import java.util.List;

/** What jobs ask of a Slurm cluster (a picocli mixin of tn slurm, and of study and sweep with --executor slurm). */
final class SlurmOptions {
    @Option(order = 50, names = "--partition", paramLabel = "P", description = "Slurm partition of every job.")
    String partition;

    @Option(order = 50, names = "--gpus-per-task", paramLabel = "G",
            description =
                    "GPUs for each job that runs the model (shards and runs; merges get none). Needs a CUDA build "
                    + "of tn; --gpu-layers says how many layers go to the GPU (default all).")
    Integer gpusPerTask;

    @Option(order = 50, names = "--cpus-per-task", paramLabel = "C",
            description = "CPUs of each job; tn's --threads 0 (the default) uses the CPUs the job is given.")
    Integer cpusPerTask;

    @Option(order = 50, names = "--mem", paramLabel = "M",
            description = "Memory of each job, as sbatch takes it (16G).")
    String mem;

    @Option(order = 50, names = "--time", paramLabel = "T",
            description = "Time limit of each job, as sbatch takes it (2:00:00).")
    String time;

    @Option(order = 50, names = "--account", paramLabel = "A", description = "Slurm account the jobs are charged to.")
    String account;

    @Option(order = 50, names = "--sbatch-arg", paramLabel = "ARG",
            description = "Any other sbatch option for every job, one word each, repeatable: --sbatch-arg=--qos=high.")
    List<String> sbatchArgs;

    SbatchOptions sbatch() {
        return new SbatchOptions(partition, gpusPerTask, cpusPerTask, mem, time, account, sbatchArgs);
    }
}
