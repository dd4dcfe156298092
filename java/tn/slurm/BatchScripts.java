package tn.slurm;

import tn.io.AtomicFile;
import tn.io.ControlChars;
import tn.io.InputException;
import tn.jobs.Step;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The batch scripts of a submission, in ROOT/slurm beside jobs.json: plain bash with #SBATCH
 * lines, one per job kind of a step, readable and re-submittable by hand. Each starts tn the way
 * the submitting tn was started (the same java, class path and memory options), in the folder
 * the submission was made in, and logs to ROOT/slurm/logs. A run's steps always pass --resume:
 * a requeued or resubmitted job continues from its checkpoint, and a shard that had finished
 * does nothing. They pass --force as well, as does every step whose command refuses to write
 * over its earlier outputs: a job runs because the plan decided the step runs again. Every value
 * from outside is quoted where it is a word of a command or a directive, and its control
 * characters escaped where it is a comment: no path or argument can end a line.
 */
final class BatchScripts {
    private final Path dir;
    private final JobFile jobs;

    BatchScripts(Path root, JobFile jobs) {
        this.dir = JobFile.dir(root);
        this.jobs = jobs;
    }

    /** Where a shard's folder is: OUT/shards/K. */
    static Path shardDir(Step step, int k) {
        return step.out().resolve("shards").resolve(String.valueOf(k));
    }

    /** The log a job writes (k: the shard of an array job, else null). */
    Path log(JobFile.Job job, Integer k) {
        return logs().resolve(switch (job.kind()) {
            case SHARDS -> job.step() + ".shard-" + k + "." + job.id() + ".out";
            case MERGE -> job.step() + ".merge." + job.id() + ".out";
            case STEP -> job.step() + "." + job.id() + ".out";
        });
    }

    private Path logs() {
        return dir.resolve("logs");
    }

    /** The array job of a run step's N shards: task K runs shard K/N into OUT/shards/K. */
    Path shards(Step step) {
        int n = jobs.shards();
        List<String> body = new ArrayList<>();
        body.add("k=$SLURM_ARRAY_TASK_ID");
        List<String> words = quoted(jobs.launcher());
        words.addAll(quoted(step.args()));
        words.addAll(List.of("--out", quote(step.out().resolve("shards").toString()) + "/\"$k\"", "--shard",
                "\"$k\"/" + n, "--resume", "--force"));
        body.add("exec " + String.join(" ", words));
        return write(step.name() + ".shards.sbatch",
                List.of("Shard K of " + n + " of tn's step " + step.name() + " (K = the array task id): a slice of the",
                        "run's items into " + step.out().resolve("shards") + "/K. Resubmitted, it continues from its",
                        "checkpoint, and a shard that finished does nothing.",
                        "Submit by hand: sbatch --array=1-" + n + " " + step.name() + ".shards.sbatch"),
                step.name(), step.name() + ".shard-%a.%A.out", true, body);
    }

    /** The job that merges a run step's shards into its output folder (tn merge). */
    Path merge(Step step) {
        List<String> words = quoted(jobs.launcher());
        words.addAll(List.of("merge", "--force", "--out", quote(step.out().toString())));
        IntStream.rangeClosed(1, jobs.shards()).forEach(k -> words.add(quote(shardDir(step, k).toString())));
        return write(step.name() + ".merge.sbatch",
                List.of("Merges the " + jobs.shards() + " shards of tn's step " + step.name() + " into " + step.out()
                                + ".",
                        "Submit by hand after the shards: sbatch --dependency=afterok:SHARDS_JOB_ID " + step.name()
                                + ".merge.sbatch"),
                step.name() + "-merge", step.name() + ".merge.%j.out", false,
                List.of("exec " + String.join(" ", words)));
    }

    /** Whether the step's command writes over its earlier outputs only when told to (--force). */
    static boolean replaces(Step step) {
        List<String> a = step.args();
        return step.isRun() || a.get(0).equals("overlap") || a.get(0).equals("report")
                || (a.size() > 1 && a.get(0).equals("model") && a.get(1).equals("quantize"));
    }

    /** The job of a whole step. */
    Path step(Step step) {
        List<String> words = quoted(jobs.launcher());
        words.addAll(quoted(step.argv()));
        if (step.isRun()) words.add("--resume");
        if (replaces(step)) words.add("--force");
        return write(step.name() + ".sbatch",
                List.of("tn's step " + step.name() + ".",
                        "Submit by hand: sbatch " + step.name() + ".sbatch (after the steps it needs: "
                                + (step.after().isEmpty() ? "none" : String.join(", ", step.after())) + ")"),
                step.name(), step.name() + ".%j.out", step.isRun(), List.of("exec " + String.join(" ", words)));
    }

    private Path write(
            String name, List<String> about, String jobName, String log, boolean forward, List<String> body) {
        StringBuilder s = new StringBuilder("#!/bin/bash\n");
        for (String line : about) s.append("# ").append(ControlChars.escape(line)).append('\n');
        s.append("# Written by: tn ").append(ControlChars.escape(String.join(" ", jobs.commandLine()))).append('\n');
        s.append("#SBATCH --job-name=tn-").append(jobName).append('\n');
        s.append("#SBATCH --output=").append(outputPattern(log)).append('\n');
        for (String d : jobs.sbatch().directives(forward)) s.append("#SBATCH ").append(d).append('\n');
        s.append("set -eu\n");
        s.append("cd ").append(quote(jobs.workingDirectory().toString())).append('\n');
        for (String line : body) s.append(line).append('\n');
        Path file = dir.resolve(name);
        try {
            Files.createDirectories(logs()); // Slurm does not create the folder of --output
            AtomicFile.writeString(file, s.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    private static List<String> quoted(List<String> words) {
        List<String> q = new ArrayList<>();
        for (String w : words) q.add(quote(w));
        return q;
    }

    /**
     * The #SBATCH --output value of a log named by Slurm's pattern log ("%j"): in double quotes, as
     * sbatch reads a value with a space or '#' in it, '"' escaped, and the folder's own '%' doubled
     * so that Slurm takes it literally. A backslash turns Slurm's patterns off, and a control
     * character cannot go into a line at all: tn refuses paths with one, so only a moved or
     * tampered submission gets here.
     */
    private String outputPattern(String log) {
        String dir = logs().toString();
        if (ControlChars.find(dir) >= 0 || dir.contains("\\")) {
            throw new InputException("the Slurm log folder " + ControlChars.escape(dir) + " holds a control character "
                    + "or a backslash, which a batch script's --output cannot name; choose another output folder");
        }
        return '"' + (dir.replace("%", "%%") + "/" + log).replace("\"", "\\\"") + '"';
    }

    /** One shell word, taken literally. */
    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
