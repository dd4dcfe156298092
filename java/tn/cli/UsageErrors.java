package tn.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A command line picocli cannot parse, said in at most three lines: the error, the nearest valid
 * option or command where one is near ("did you mean '--lang'?"), and where the help is; never
 * the whole usage, which would scroll the error away.
 */
final class UsageErrors {
    private UsageErrors() {}

    /** The lines to print on stderr for e. */
    static List<String> lines(ParameterException e) {
        CommandLine line = e.getCommandLine();
        List<String> out = new ArrayList<>();
        List<String> unmatched = line.getUnmatchedArguments();
        if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) unmatched = u.getUnmatched();
        if (!unmatched.isEmpty()
                && (e instanceof UnmatchedArgumentException || e instanceof MissingParameterException)) {
            // an unknown option first: "--language ja" is a misspelt --lang, not a missing one
            out.add("tn: error: " + unknown(line.getCommandSpec(), unmatched.get(0)));
        } else {
            out.add("tn: error: " + lowerFirst(e.getMessage()));
        }
        out.add("see '" + line.getCommandSpec().qualifiedName() + " --help'");
        return out;
    }

    /** "unknown option '--language'; did you mean '--lang'?", or of a command or an argument. */
    static String unknown(CommandSpec spec, String arg) {
        if (arg.startsWith("-")) {
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            return "unknown option '" + name + "'" + didYouMean(name, optionNames(spec));
        }
        if (!spec.subcommands().isEmpty()) {
            return "unknown command '" + arg + "'" + didYouMean(arg, spec.subcommands().keySet().stream());
        }
        return "unexpected argument '" + arg + "'";
    }

    private static Stream<String> optionNames(CommandSpec spec) {
        return spec.options().stream().filter(o -> !o.hidden()).flatMap(o -> Stream.of(o.names()));
    }

    private static String didYouMean(String given, Stream<String> valid) {
        return nearest(given, valid).map(n -> "; did you mean '" + n + "'?").orElse("");
    }

    /** A valid name against the given one: whether one starts the other, and the edits between them. */
    private record Candidate(String name, boolean prefix, int edits) {}

    /**
     * The valid name nearest to given: one that starts the other (--language, --lang) first, then
     * the fewest edits; none further than half the given name.
     */
    static Optional<String> nearest(String given, Stream<String> valid) {
        String g = bare(given);
        return valid
                .map(v -> {
                    String b = bare(v);
                    boolean prefix = b.length() >= 2 && g.length() >= 2 && (g.startsWith(b) || b.startsWith(g));
                    return new Candidate(v, prefix, distance(g, b));
                })
                .filter(c -> c.prefix() || c.edits() <= Math.max(1, g.length() / 2))
                .min(Comparator.comparing((Candidate c) -> !c.prefix()).thenComparingInt(Candidate::edits))
                .map(Candidate::name);
    }

    private static String bare(String name) {
        return name.toLowerCase(Locale.ROOT).replaceFirst("^-+", "");
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static String lowerFirst(String s) {
        if (s == null || s.isEmpty()) return "invalid command line";
        return Character.isUpperCase(s.charAt(0)) && (s.length() < 2 || !Character.isUpperCase(s.charAt(1)))
                ? Character.toLowerCase(s.charAt(0)) + s.substring(1)
                : s;
    }
}
