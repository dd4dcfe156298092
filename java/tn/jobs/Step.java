package tn.jobs;

import tn.io.InvalidValueException;

import tn.run.Run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One tn command of a {@link Plan}, as its command line, so that every executor runs exactly the
 * same thing: this process one step after another, or Slurm a job per step.
 *
 * @param name  unique in its plan; names scripts and logs ("ja-type1-detect")
 * @param args  tn's arguments ("detect", "--model", ...); for a run, without its output folder
 * @param out   a run's output folder (a run command that sums over items: it may be sharded and
 *              resumed), or null for any other command, whose args name its outputs themselves
 * @param done  the file whose presence says the step finished (a run's run.json)
 * @param after the names of the steps whose outputs this one reads
 */
public record Step(String name, List<String> args, Path out, Path done, List<String> after) {
    public Step {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new InvalidValueException("{}", "step name '" + name + "': letters, digits, '.', '_' and '-' only");
        }
        if (args.isEmpty()) throw new IllegalArgumentException("step " + name + " has no command");
        args = List.copyOf(args);
        after = List.copyOf(after);
    }

    /** A run writing into out, finished once out/run.json is there. */
    public static Step run(String name, List<String> args, Path out, List<String> after) {
        return new Step(name, args, out, out.resolve("run.json"), after);
    }

    /** Another command, finished once done is there. */
    public static Step command(String name, List<String> args, Path done, List<String> after) {
        return new Step(name, args, null, done, after);
    }

    public boolean isRun() {
        return out != null;
    }

    /** tn's command: "detect", "model", ... */
    public String command() {
        return args.get(0);
    }

    /** The whole command line, with a run's output folder. */
    public List<String> argv() {
        if (!isRun()) return args;
        List<String> a = new ArrayList<>(args);
        a.add("--out");
        a.add(out.toString());
        return a;
    }

    /**
     * Whether the step finished: its done file is there and, for a run, no checkpoint says that a
     * later run into the same folder is under way.
     */
    public boolean finished() {
        return Files.exists(done) && !(isRun() && Files.exists(Run.checkpointFile(out, command())));
    }
}
