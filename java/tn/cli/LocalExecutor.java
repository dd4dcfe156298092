package tn.cli;

import picocli.CommandLine;
import tn.io.Console;
import tn.jobs.Plan;
import tn.jobs.Step;
import tn.run.Run;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;

/**
 * Runs a plan's steps one after another in this process, each as its command line through tn's
 * own, as a Slurm job would run it. A step that finished is skipped unless a step it needs ran
 * again, and then replaces its earlier outputs (--force); a run interrupted earlier continues
 * from its checkpoint (--resume). The first step that
 * fails stops the plan: running the same command again continues it.
 */
final class LocalExecutor {
    private final Console console;
    private final List<Map<String, Object>> outcomes = new ArrayList<>();

    LocalExecutor(Console console) {
        this.console = console;
    }

    /** Runs the plan; 0, or the exit code of the step that failed. */
    int run(Plan plan) {
        Set<String> ran = new HashSet<>();
        int i = 0, n = plan.steps().size();
        for (Step step : plan.steps()) {
            i++;
            boolean inputsRemade = step.after().stream().anyMatch(ran::contains);
            if (!inputsRemade && step.finished()) {
                console.err().printf("[%d/%d] %s: finished earlier%n", i, n, step.name());
                outcome(step, "finished earlier", 0, 0);
                continue;
            }
            List<String> argv = new ArrayList<>(step.argv());
            if (step.isRun() && Files.exists(Run.checkpointFile(step.out(), step.command()))) argv.add("--resume");
            CommandLine cl = Tn.commandLine();
            // the plan decided this step runs: what an earlier run of it left is replaced
            if (takesForce(cl, argv)) argv.add("--force");
            console.err().printf("[%d/%d] %s: tn %s%n", i, n, step.name(), String.join(" ", argv));
            console.err().flush();
            long t0 = System.nanoTime();
            cl.setOut(console.out());
            cl.setErr(console.err());
            int code = cl.execute(argv.toArray(new String[0]));
            outcome(step, code == 0 ? "ran" : "failed", code, (System.nanoTime() - t0) / 1e9);
            if (code != 0) {
                console.err().printf(
                        "tn: step %s failed (exit code %d); run the same command again to continue from it%n",
                        step.name(), code);
                console.err().flush();
                return code;
            }
            console.err().printf(
                    Locale.ROOT, "[%d/%d] %s: done in %.1f s%n", i, n, step.name(), (System.nanoTime() - t0) / 1e9);
            ran.add(step.name());
        }
        return 0;
    }

    /** Each step's name, status ("ran", "finished earlier", "failed"), exit code and seconds, once run(). */
    List<Map<String, Object>> outcomes() {
        return outcomes;
    }

    private void outcome(Step step, String status, int code, double seconds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", step.name());
        m.put("status", status);
        m.put("exit_code", code);
        m.put("seconds", seconds);
        m.put("out", step.isRun() ? step.out().toAbsolutePath().toString() : step.done().toAbsolutePath().toString());
        outcomes.add(m);
    }

    /** Whether the command argv names has --force (a run, overlap, report, quantize). */
    static boolean takesForce(CommandLine tn, List<String> argv) {
        CommandLine c = tn;
        for (String word : argv) {
            CommandLine sub = c.getSubcommands().get(word);
            if (sub == null) break;
            c = sub;
        }
        return c != tn && c.getCommandSpec().findOption("--force") != null;
    }
}
