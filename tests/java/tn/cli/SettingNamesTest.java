package tn.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tn.io.Wording;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Below tn/cli no code writes a flag: messages name settings by their domain names ({top_n}),
 * which the command line renders as its flags (--top-n). Every {setting} in such a message must
 * name an option some tn command has, or the user would read a name no command takes; and no
 * message below tn/cli spells a flag itself.
 */
class SettingNamesTest {
    /** A message template: the first string argument of an InvalidValueException or Wording, with its "+" continuations. */
    private static final Pattern MESSAGE = Pattern.compile(
            "(?:InvalidValueException|Wording\\.of)\\(\\s*((?:\"(?:[^\"\\\\]|\\\\.)*\"\\s*\\+?\\s*)+)");
    private static final Pattern LITERAL = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern SETTING = Pattern.compile("\\{([a-z][a-z0-9_]*)}");
    private static final Pattern FLAG = Pattern.compile("(?<![\\w-])--[a-z][a-z0-9-]+");

    /** Every option name of every tn command and subcommand. */
    static Set<String> options() {
        Set<String> names = new TreeSet<>();
        List<CommandLine> todo = new ArrayList<>(List.of(Tn.commandLine()));
        while (!todo.isEmpty()) {
            CommandLine cl = todo.remove(todo.size() - 1);
            cl.getCommandSpec().options().forEach(o -> names.addAll(List.of(o.names())));
            todo.addAll(cl.getSubcommands().values());
        }
        return names;
    }

    /** The message templates of the sources under dir, each with its file. */
    static List<String[]> templates(Path dir) throws IOException {
        List<String[]> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = MESSAGE.matcher(Files.readString(f));
                while (m.find()) {
                    StringBuilder text = new StringBuilder();
                    Matcher l = LITERAL.matcher(m.group(1));
                    while (l.find()) text.append(l.group(1));
                    found.add(new String[] {f.toString(), text.toString()});
                }
            }
        }
        return found;
    }

    @Test
    void everySettingAMessageNamesIsAnOptionAndNoMessageBelowTheCommandLineSpellsAFlag() throws IOException {
        Set<String> options = options();
        List<String> unknown = new ArrayList<>(), flags = new ArrayList<>();
        int settings = 0;
        for (String[] t : templates(Path.of("java/tn"))) {
            boolean cli = t[0].startsWith(Path.of("java/tn/cli").toString());
            Matcher s = SETTING.matcher(t[1]);
            while (s.find()) {
                settings++;
                String flag = "--" + s.group(1).replace('_', '-');
                if (!options.contains(flag)) unknown.add(t[0] + ": {" + s.group(1) + "} in \"" + t[1] + "\"");
            }
            Matcher f = FLAG.matcher(t[1]);
            if (!cli && f.find()) flags.add(t[0] + ": " + f.group() + " in \"" + t[1] + "\"");
        }
        assertTrue(settings > 20, "found the messages' settings: " + settings);
        assertEquals(List.of(), unknown, "settings that name no option");
        assertEquals(List.of(), flags, "flags written below tn/cli");
    }

    @Test
    void aSettingRendersAsItsFlagOnTheCommandLine() {
        assertEquals("--top-n must be positive, is 0",
                Wording.of("{top_n} must be positive, is {}", 0).render(name -> "--" + name.replace('_', '-')));
        assertTrue(options().containsAll(List.of("--top-n", "--labels", "--families", "--sbatch-arg")));
    }
}
