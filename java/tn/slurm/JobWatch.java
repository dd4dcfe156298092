package tn.slurm;

import tn.io.Console;
import tn.jobs.Plan;
import tn.jobs.Step;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Follows a submission's jobs to their end by polling squeue, and judges each by what it left on
 * disk: a shard or step finished when its outputs are there, whatever Slurm still remembers
 * (finished jobs drop out of squeue after the cluster's MinJobAge, and a pending array task that
 * was cancelled leaves no record at all). A job that waits for a job that failed can never start;
 * where the cluster does not cancel it (no DependencyParameters=kill_invalid_depend), this does.
 * Not sbatch --wait, which exits 0 for a job cancelled by a failed dependency.
 */
public final class JobWatch {
    /**
     * Polls a job may be gone from squeue, or COMPLETED, before its outputs must be there: a
     * shared file system can show a file written on another node a little late.
     */
    private static final int GRACE_POLLS = 3;

    private final Slurm slurm;
    private final PrintWriter err;

    public JobWatch(Slurm slurm, Console console) {
        this.slurm = slurm;
        this.err = console.err();
    }

    /** A job, or one shard (k) of an array job: what is followed. */
    private record Unit(JobFile.Job job, Step step, Integer k) {
        String key() {
            return k == null ? job.id() : job.id() + "_" + k;
        }

        String label() {
            return step.name() + switch (job.kind()) {
                case SHARDS -> " shard " + k;
                case MERGE -> " merge";
                case STEP -> "";
            } + " (job " + key() + ")";
        }

        boolean finished() {
            return k == null ? step.finished() : SlurmExecutor.shardFinished(step, k);
        }
    }

    /**
     * Follows the latest submission in root until each of its jobs finished, failed or can never
     * run; returns a line for each that did not finish, naming its log (empty: all finished).
     */
    public List<String> follow(Path root, JobFile jobs, Duration poll) {
        BatchScripts scripts = new BatchScripts(root, jobs);
        Plan plan = jobs.plan();
        List<Unit> open = new ArrayList<>();
        for (JobFile.Job job : jobs.latest().jobs()) {
            Step step = plan.step(job.step());
            if (job.kind() == JobFile.Kind.SHARDS)
                for (int k : job.shards()) open.add(new Unit(job, step, k));
            else
                open.add(new Unit(job, step, null));
        }
        int total = open.size();
        List<String> failures = new ArrayList<>();
        Map<Unit, String> shown = new HashMap<>();
        Map<Unit, Integer> unconfirmed = new HashMap<>();
        while (!open.isEmpty()) {
            Set<String> ids = new LinkedHashSet<>();
            for (Unit u : open) ids.add(u.job().id());
            Map<String, JobState> states =
                    slurm.states(ids); // asked before looking at the disk: a job seen ended has written
            Set<String> cancel = new LinkedHashSet<>();
            for (Unit u : List.copyOf(open)) {
                JobState s = states.get(u.key());
                String failure = null;
                if (u.finished()) {
                    show(u, "finished", shown);
                    open.remove(u);
                    continue;
                }
                if (s == null || s.state().equals("COMPLETED")) {
                    if (unconfirmed.merge(u, 1, Integer::sum) <= GRACE_POLLS) continue;
                    failure = s == null
                            ? "gone from Slurm's queue without leaving its outputs (cancelled before it ran, "
                                    + "or ended and forgotten)"
                            : "COMPLETED without leaving its outputs";
                } else if (s.dependencyFailed()) {
                    if (!s.ended()) cancel.add(u.job().id());
                    failure = "did not run: a job it needs did not finish";
                } else if (s.ended()) {
                    Optional<String> code = slurm.exitCode(u.key());
                    failure = s + code.map(c -> ", exit code " + c).orElse("");
                } else {
                    show(u, s.state(), shown);
                    continue;
                }
                show(u, failure, shown);
                failures.add(u.label() + ": " + failure + "; log: " + scripts.log(u.job(), u.k()));
                open.remove(u);
            }
            if (!cancel.isEmpty()) slurm.cancel(cancel);
            if (!open.isEmpty()) sleep(poll);
        }
        err.printf("%d of %d jobs finished%n", total - failures.size(), total);
        err.flush();
        return failures;
    }

    private void show(Unit u, String what, Map<Unit, String> shown) {
        if (what.equals(shown.put(u, what))) return;
        err.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " " + u.label() + ": " + what);
        err.flush();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SlurmException("interrupted while following the jobs; they go on without tn ('tn slurm wait' "
                            + "follows them again)",
                    e);
        }
    }
}
