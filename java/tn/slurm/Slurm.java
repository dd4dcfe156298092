package tn.slurm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The only place tn calls Slurm: sbatch to submit, squeue to follow, scontrol for a finished job's
 * exit code, scancel to cancel, each as the cluster's own command (found on PATH, configured as
 * the cluster configures it, e.g. by SLURM_CONF).
 */
public final class Slurm {
    /** A Slurm command that hangs (a controller gone) is given up after this long. */
    private static final long COMMAND_SECONDS = 120;
    private static final Pattern EXIT_CODE = Pattern.compile("(?:^| )ExitCode=(\\S+)");

    private final Map<String, String> environment;

    /** Slurm as this process's environment configures it. */
    public Slurm() {
        this(Map.of());
    }

    /** Slurm with these environment variables added (SLURM_CONF=..., say). */
    public Slurm(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** Submits script with sbatch's options args; returns the job's id. */
    public String submit(List<String> args, Path script) {
        List<String> cmd = new ArrayList<>(List.of("sbatch", "--parsable"));
        cmd.addAll(args);
        cmd.add(script.toString());
        Result r = run(cmd);
        if (r.exit != 0) throw new SlurmException("sbatch refused " + script + ": " + r.message());
        String id = r.out.strip().split(";", 2)[0]; // --parsable prints "ID" or "ID;CLUSTER"
        if (!id.matches("\\d+"))
            throw new SlurmException("sbatch printed no job id for " + script + ": " + r.out.strip());
        return id;
    }

    /**
     * The jobs among ids that Slurm still knows, every array task on its own ("12_3"), by id.
     * Finished jobs are forgotten after the cluster's MinJobAge, and a pending array task that was
     * cancelled leaves no record at all: a job missing here is not known to have succeeded.
     */
    public Map<String, JobState> states(Collection<String> ids) {
        Map<String, JobState> states = new LinkedHashMap<>();
        if (ids.isEmpty()) return states;
        Result r = run(List.of("squeue", "--noheader", "--array", "--states=all", "--jobs=" + String.join(",", ids),
                "--format=%i|%T|%r"));
        if (r.exit != 0) {
            if (r.err.contains("Invalid job id")) return states; // squeue's answer when it knows none of them
            throw new SlurmException("squeue failed: " + r.message());
        }
        for (String line : r.out.split("\n")) {
            if (line.isBlank()) continue;
            String[] f = line.strip().split("\\|", -1);
            if (f.length != 3) throw new SlurmException("squeue printed a line tn cannot read: " + line);
            states.put(f[0], new JobState(f[0], f[1], f[2]));
        }
        return states;
    }

    /** The exit code Slurm recorded for a job ("3:0": code and signal), while it still knows the job. */
    public Optional<String> exitCode(String id) {
        Result r = run(List.of("scontrol", "show", "job", "--oneliner", id));
        if (r.exit != 0) return Optional.empty();
        Matcher m = EXIT_CODE.matcher(r.out);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** Cancels jobs (or array tasks, "12_3"). */
    public void cancel(Collection<String> ids) {
        if (ids.isEmpty()) return;
        List<String> cmd = new ArrayList<>(List.of("scancel"));
        cmd.addAll(ids);
        Result r = run(cmd);
        if (r.exit != 0) throw new SlurmException("scancel " + String.join(" ", ids) + " failed: " + r.message());
    }

    private record Result(int exit, String out, String err) {
        String message() {
            String m = (err.isBlank() ? out : err).strip();
            return m.isEmpty() ? "exit code " + exit : m;
        }
    }

    private Result run(List<String> cmd) {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(environment);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new SlurmException("cannot run " + cmd.get(0) + " (" + e.getMessage()
                            + "): is this a Slurm cluster's "
                            + "login node? (tn's scripts/slurm-local starts a one-node cluster on this machine)",
                    e);
        }
        try {
            p.getOutputStream().close();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            if (!p.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new SlurmException(
                        cmd.get(0) + " did not answer within " + COMMAND_SECONDS + " s: is the controller reachable?");
            }
            return new Result(p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new SlurmException("cannot talk to " + cmd.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new SlurmException("interrupted while " + cmd.get(0) + " ran", e);
        }
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
