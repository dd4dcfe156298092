package tn.slurm;

import tn.cli.TnCli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real one-node Slurm cluster for a test class, started by scripts/slurm-local in a folder of
 * its own (its own ports and MUNGE socket, so test runs side by side do not meet) and stopped by
 * the process ids it wrote. Failing to start it fails the test: these tests never skip.
 */
public final class LocalSlurm implements AutoCloseable {
    private static final Path SCRIPT = Path.of(System.getProperty("tn.repo", ".")).resolve("scripts/slurm-local");

    private final Path dir;
    private final Map<String, String> env;

    private LocalSlurm(Path dir) {
        this.dir = dir;
        this.env = Map.of("SLURM_CONF", dir.resolve("slurm.conf").toString());
    }

    /** Starts a cluster in dir; options as scripts/slurm-local start takes them. */
    public static LocalSlurm start(Path dir, String... options) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(SCRIPT.toString(), "start", dir.toString()));
        cmd.addAll(List.of(options));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("could not start Slurm (" + String.join(" ", cmd) + "):\n" + output);
        }
        return new LocalSlurm(dir);
    }

    /** The environment that points Slurm's commands at this cluster. */
    public Map<String, String> env() {
        return env;
    }

    public Slurm slurm() {
        return new Slurm(env);
    }

    /** tn in a process of its own (as a user types it), in workDir, talking to this cluster. */
    public TnCli.Result tn(Path workDir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-Xmx1g");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("tn.cli.Tn");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        pb.environment().putAll(env);
        Path out = Files.createTempFile(dir, "tn-", ".out"), err = Files.createTempFile(dir, "tn-", ".err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(600, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(
                    "tn " + String.join(" ", args) + " did not end in 10 minutes: " + Files.readString(err));
        }
        return new TnCli.Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Override
    public void close() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(SCRIPT.toString(), "stop", dir.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0)
            throw new AssertionError("could not stop Slurm: " + output);
    }
}
