package tn.cli;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command that starts this very tn in another process, a batch job say: this JVM's java,
 * its memory, garbage collector (scripts/tn's -XX:+UseSerialGC) and tn options, its class path
 * (absolute) and tn's main class. A job started so
 * runs the tn that submitted it, whether that is target/tn.jar or classes under test.
 */
final class Launcher {
    private Launcher() {}

    static List<String> current() {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("-Xmx") || a.startsWith("-Xms") || a.startsWith("-Xss") || a.startsWith("-Dtn.")
                    || a.startsWith("-Djna.") || a.matches("-XX:[+-]Use\\w+GC")) {
                cmd.add(a);
            }
        }
        List<String> classPath = new ArrayList<>();
        for (String p : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!p.isEmpty()) classPath.add(Path.of(p).toAbsolutePath().normalize().toString());
        }
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, classPath));
        cmd.add(Tn.class.getName());
        return cmd;
    }
}
