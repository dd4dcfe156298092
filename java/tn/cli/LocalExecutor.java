package tn.cli;

import picocli.CommandLine;
import tn.io.Console;
import tn.jobs.Plan;
import tn.jobs.Step;
import tn.run.Run;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Runs a plan's steps one after another in this process, each as its command line through tn's
 * own, as a Slurm job would run it. A step that finished is skipped unless a step it needs ran
 * again; a run interrupted earlier continues from its checkpoint (--resume). The first step that
 * fails stops the plan: running the same command again continues it.
 */
final class LocalExecutor {
    private final Console console;

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
                continue;
            }
            List<String> argv = new ArrayList<>(step.argv());
            if (step.isRun() && Files.exists(Run.checkpointFile(step.out(), step.command()))) argv.add("--resume");
            console.err().printf("[%d/%d] %s: tn %s%n", i, n, step.name(), String.join(" ", argv));
            console.err().flush();
            long t0 = System.nanoTime();
            CommandLine cl = Tn.commandLine();
            cl.setOut(console.out());
            cl.setErr(console.err());
            int code = cl.execute(argv.toArray(new String[0]));
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
}
