package tn.slurm;

import tn.io.Console;
import tn.io.InputException;
import tn.jobs.Step;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Runs a plan on Slurm: every step a job (a run step split into shards: an array job and the
 * merge of it), each waiting (afterok) for the jobs of the steps it needs, all submitted at once.
 * Only what has not finished is submitted: a step whose output is there, and whose inputs are
 * not made again, is left alone, and of a run's shards only those without their finished state.
 */
public final class SlurmExecutor {
    private final Slurm slurm;
    private final PrintWriter out;

    public SlurmExecutor(Slurm slurm, Console console) {
        this.slurm = slurm;
        this.out = console.out();
    }

    /** The first submission of a plan into root. */
    public JobFile submit(Path root, JobFile jobs) {
        if (JobFile.exists(root)) {
            throw new InputException(root + " already holds a Slurm submission ("
                    + JobFile.dir(root).resolve(JobFile.NAME) + "): continue it with 'tn slurm resume " + root
                    + "', or choose another output folder");
        }
        return submitUnfinished(root, jobs);
    }

    /**
     * Submits again what did not finish of the submission in root. Jobs of it that are still
     * queued or running are refused (they would race the new ones), except those that wait for a
     * job that failed: they can never start, and are cancelled.
     */
    public JobFile resume(Path root) {
        JobFile jobs = JobFile.read(root);
        Set<String> ids = new LinkedHashSet<>();
        for (JobFile.Submission s : jobs.submissions())
            for (JobFile.Job j : s.jobs()) ids.add(j.id());
        List<String> busy = new ArrayList<>();
        Set<String> stuck = new LinkedHashSet<>();
        for (JobState s : slurm.states(ids).values()) {
            if (s.ended()) continue;
            if (s.dependencyFailed())
                stuck.add(s.id().replaceFirst("_.*", ""));
            else
                busy.add(s.id() + " " + s);
        }
        if (!busy.isEmpty()) {
            throw new InputException("jobs of " + root + " are still queued or running: " + String.join(", ", busy)
                    + "; let them end, or cancel them (scancel), before resubmitting");
        }
        if (!stuck.isEmpty()) {
            slurm.cancel(stuck);
            out.println(
                    "cancelled " + String.join(", ", stuck) + ": waiting for jobs that failed, they could never start");
        }
        return submitUnfinished(root, jobs);
    }

    /** Whether shard k of a run step left its finished state. */
    static boolean shardFinished(Step step, int k) {
        Path dir = BatchScripts.shardDir(step, k);
        return Files.exists(dir.resolve("run.json")) && Files.exists(dir.resolve(tn.run.Run.SHARD_STATE));
    }

    private JobFile submitUnfinished(Path root, JobFile jobs) {
        BatchScripts scripts = new BatchScripts(root, jobs);
        Map<String, String> ending = new HashMap<>(); // step -> the job that ends it, for the steps submitted now
        List<JobFile.Job> submitted = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        try {
            for (Step step : jobs.plan().steps()) {
                List<String> after = step.after().stream().filter(ending::containsKey).map(ending::get).toList();
                boolean inputsRemade = !after.isEmpty();
                if (!inputsRemade && step.finished()) {
                    lines.add(String.format("  %-28s finished, not submitted", step.name()));
                    continue;
                }
                if (step.isRun() && jobs.shards() > 1) {
                    List<Integer> todo = IntStream.rangeClosed(1, jobs.shards())
                                                 .filter(k -> inputsRemade || !shardFinished(step, k))
                                                 .boxed()
                                                 .toList();
                    List<String> mergeAfter = after;
                    String shardsText = "all shards finished";
                    if (!todo.isEmpty()) {
                        List<String> args = new ArrayList<>(dependency(after));
                        args.add("--array=" + ranges(todo));
                        String id = slurm.submit(args, scripts.shards(step));
                        submitted.add(new JobFile.Job(step.name(), JobFile.Kind.SHARDS, id, todo, after));
                        mergeAfter = List.of(id);
                        shardsText = "shards " + ranges(todo) + " of " + jobs.shards() + ": job " + id;
                    }
                    String merge = slurm.submit(dependency(mergeAfter), scripts.merge(step));
                    submitted.add(new JobFile.Job(step.name(), JobFile.Kind.MERGE, merge, List.of(), mergeAfter));
                    ending.put(step.name(), merge);
                    lines.add(String.format("  %-28s %s; merge: job %s", step.name(), shardsText, merge));
                } else {
                    String id = slurm.submit(dependency(after), scripts.step(step));
                    submitted.add(new JobFile.Job(step.name(), JobFile.Kind.STEP, id, List.of(), after));
                    ending.put(step.name(), id);
                    lines.add(String.format("  %-28s job %s", step.name(), id));
                }
            }
        } catch (RuntimeException e) {
            // half a submission would run shards nobody merges: take back what went in
            List<String> ids = submitted.stream().map(JobFile.Job::id).toList();
            if (!ids.isEmpty()) {
                slurm.cancel(ids);
                throw new SlurmException(
                        e.getMessage() + " (cancelled the jobs submitted before it: " + String.join(", ", ids) + ")",
                        e);
            }
            throw e;
        }
        JobFile updated = jobs.with(new JobFile.Submission(Instant.now().toString(), submitted));
        updated.write(root);
        out.println(submitted.isEmpty() ? "nothing to submit: every step finished" : "submitted to Slurm:");
        lines.forEach(out::println);
        out.println("jobs, scripts and logs: " + JobFile.dir(root));
        out.flush();
        return updated;
    }

    private static List<String> dependency(List<String> after) {
        return after.isEmpty() ? List.of() : List.of("--dependency=afterok:" + String.join(":", after));
    }

    /** 1,2,3,5 as "1-3,5", sbatch's --array syntax. */
    static String ranges(List<Integer> ks) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < ks.size();) {
            int j = i;
            while (j + 1 < ks.size() && ks.get(j + 1) == ks.get(j) + 1) j++;
            if (s.length() > 0) s.append(',');
            s.append(ks.get(i));
            if (j > i) s.append('-').append(ks.get(j));
            i = j + 1;
        }
        return s.toString();
    }
}
