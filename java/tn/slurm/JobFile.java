package tn.slurm;

import com.google.gson.annotations.SerializedName;
import tn.io.InputException;
import tn.io.Json;
import tn.jobs.Plan;
import tn.jobs.Step;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a Slurm submission leaves in ROOT/slurm/jobs.json: the plan, how each job starts tn, what
 * the jobs ask of the cluster, and the ids of every submission's jobs. tn slurm resume reads it
 * back to resubmit what did not finish; the batch scripts beside it are written from it.
 *
 * @param commandLine      tn's arguments that made the plan (tn slurm ..., tn study ...)
 * @param workingDirectory where the jobs run, so that relative paths mean what they meant here
 * @param launcher         the command that starts tn (java, its options, class path, main class)
 * @param shards           how many shards each run step is split into (1: one job per run)
 */
public record JobFile(List<String> commandLine, Path workingDirectory, List<String> launcher, SbatchOptions sbatch,
        int shards, List<Step> steps, List<Submission> submissions) {
    static final String NAME = "jobs.json";

    public JobFile {
        if (shards < 1) throw new IllegalArgumentException("shards must be >= 1, is " + shards);
        commandLine = List.copyOf(commandLine);
        launcher = List.copyOf(launcher);
        steps = List.copyOf(steps);
        submissions = List.copyOf(submissions);
    }

    /** What kind of job: a run's array of shards, the merge of them, or a whole step. */
    public enum Kind { @SerializedName("shards") SHARDS, @SerializedName("merge") MERGE, @SerializedName("step") STEP }

    /**
     * One submitted job.
     *
     * @param shards the shards (K of N) an array job runs; empty for other jobs
     * @param after  the ids of the jobs it waits for (afterok)
     */
    public record Job(String step, Kind kind, String id, List<Integer> shards, List<String> after) {
        public Job {
            shards = List.copyOf(shards);
            after = List.copyOf(after);
        }
    }

    /** The jobs of one submission, when it was made. */
    public record Submission(String submitted, List<Job> jobs) {
        public Submission {
            jobs = List.copyOf(jobs);
        }
    }

    public Plan plan() {
        return new Plan(steps);
    }

    public Submission latest() {
        if (submissions.isEmpty()) throw new IllegalStateException("nothing was submitted");
        return submissions.get(submissions.size() - 1);
    }

    public JobFile with(Submission s) {
        List<Submission> all = new ArrayList<>(submissions);
        all.add(s);
        return new JobFile(commandLine, workingDirectory, launcher, sbatch, shards, steps, all);
    }

    /** The folder under root that holds jobs.json, the batch scripts and the jobs' logs. */
    public static Path dir(Path root) {
        return root.resolve("slurm");
    }

    public void write(Path root) {
        Json.write(dir(root).resolve(NAME), this);
    }

    public static boolean exists(Path root) {
        return Files.exists(dir(root).resolve(NAME));
    }

    /** ROOT/slurm/jobs.json, checked to describe a plan with its submissions. */
    public static JobFile read(Path root) {
        Path file = dir(root).resolve(NAME);
        if (!Files.exists(file)) {
            throw new InputException(root + " holds no Slurm submission of tn (no " + root.relativize(file)
                    + "): give the "
                    + "folder tn slurm (or tn study, tn sweep with the Slurm executor) was given as its output folder");
        }
        JobFile f = Json.read(file, JobFile.class); // a missing list fails in the constructor
        if (f.workingDirectory == null || f.launcher.isEmpty() || f.sbatch == null) {
            throw new InputException("corrupt " + file + ": working_directory, launcher or sbatch is missing");
        }
        try {
            f.plan();
        } catch (IllegalArgumentException e) {
            throw new InputException("corrupt " + file + ": " + e.getMessage());
        }
        return f;
    }
}
