package tn.cli;

import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Ansi.Text;
import picocli.CommandLine.Help.ColorScheme;
import picocli.CommandLine.IHelpSectionRenderer;
import picocli.CommandLine.Model.UsageMessageSpec;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Help that never breaks a file name or a flag across lines ("deactivated.\ntsv", "M.\ngguf",
 * "--top-\nn"): picocli wraps at every break the JDK's line BreakIterator allows, which includes
 * after '.', '-' and '/' inside a word. The '.', '-' and '/' inside words are swapped for
 * private-use characters the iterator treats as letters while picocli lays the text out, and
 * swapped back in every rendered section. The synopsis is the short one ("tn detect [OPTIONS]"):
 * the option list below it names every option, each on its own line.
 */
final class HelpText {
    private static final String PLAIN = ".-/", KEPT = "\uE000\uE001\uE002";

    private HelpText() {}

    /** Installs this help on cl and every command below it. */
    static void install(CommandLine cl) {
        cl.setHelpFactory((spec, scheme) -> new Help(spec, scheme) {
            @Override
            public IOptionRenderer createDefaultOptionRenderer() {
                IOptionRenderer plain = super.createDefaultOptionRenderer();
                return (option, labels, colors) -> kept(plain.render(option, labels, colors), colors);
            }

            @Override
            public IParameterRenderer createDefaultParameterRenderer() {
                IParameterRenderer plain = super.createDefaultParameterRenderer();
                return (param, labels, colors) -> kept(plain.render(param, labels, colors), colors);
            }
        });
        installSections(cl);
    }

    private static void installSections(CommandLine cl) {
        UsageMessageSpec u = cl.getCommandSpec().usageMessage();
        u.abbreviateSynopsis(true);
        u.description(keep(u.description()));
        u.footer(keep(u.footer()));
        u.header(keep(u.header()));
        Map<String, IHelpSectionRenderer> sections = new LinkedHashMap<>();
        u.sectionMap().forEach((key, section) -> sections.put(key, help -> restore(section.render(help))));
        u.sectionMap(sections);
        cl.getSubcommands().values().forEach(HelpText::installSections);
    }

    /** The cells of an option's rows with the text of its description kept whole. */
    private static Text[][] kept(Text[][] rows, ColorScheme colors) {
        for (Text[] row : rows) {
            int last = row.length - 1; // the description column; the others carry the option's styles
            if (last >= 0 && row[last] != null) {
                String plain = row[last].plainString();
                String kept = keep(plain);
                if (!kept.equals(plain)) row[last] = colors.text(kept);
            }
        }
        return rows;
    }

    private static String[] keep(String[] lines) {
        String[] out = new String[lines.length];
        for (int i = 0; i < lines.length; i++) out[i] = keep(lines[i]);
        return out;
    }

    /** s with each '.', '-' and '/' between two non-blank characters swapped for its stand-in. */
    static String keep(String s) {
        StringBuilder b = new StringBuilder(s);
        for (int i = 1; i < b.length() - 1; i++) {
            int k = PLAIN.indexOf(b.charAt(i));
            if (k >= 0 && !Character.isWhitespace(b.charAt(i - 1)) && !Character.isWhitespace(b.charAt(i + 1)))
                b.setCharAt(i, KEPT.charAt(k));
        }
        return b.toString();
    }

    /** The text as written: every stand-in back to its character. */
    static String restore(String s) {
        StringBuilder b = new StringBuilder(s);
        for (int i = 0; i < b.length(); i++) {
            int k = KEPT.indexOf(b.charAt(i));
            if (k >= 0) b.setCharAt(i, PLAIN.charAt(k));
        }
        return b.toString();
    }
}
