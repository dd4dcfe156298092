package tn.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

/** tn run inside the test's JVM through picocli's own writers, its exit code, output and errors kept. */
public final class TnCli {
    private TnCli() {}

    public record Result(int code, String out, String err) {
        /** The result, or a failure showing what tn printed. */
        public Result expect(int expected) {
            if (code != expected) {
                throw new AssertionError(
                        "tn exited with " + code + ", expected " + expected + "\nout: " + out + "\nerr: " + err);
            }
            return this;
        }
    }

    public static Result run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = Tn.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
