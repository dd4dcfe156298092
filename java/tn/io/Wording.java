package tn.io;

import java.util.function.UnaryOperator;

/**
 * Words for the user that name settings by their domain names, the names run.json records
 * ({top_n}, {ctx}, {resume}), so that each interface names them its own way: the command line by
 * its flags (--top-n), a library caller by these names. "{}" takes the next value (a number, a
 * path), inserted as it is and never read for names.
 */
public final class Wording {
    private final String template;
    private final Object[] values;

    private Wording(String template, Object[] values) {
        this.template = template;
        this.values = values.clone();
    }

    /** A template of text, {name}s of settings and {}s of values, with those values in order. */
    public static Wording of(String template, Object... values) {
        return new Wording(template, values);
    }

    /** The words, each setting named by name(its domain name). */
    public String render(UnaryOperator<String> name) {
        StringBuilder b = new StringBuilder();
        int next = 0;
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            int close = c == '{' ? template.indexOf('}', i) : -1;
            if (close < 0) {
                b.append(c);
                continue;
            }
            String inside = template.substring(i + 1, close);
            if (inside.isEmpty()) {
                if (next >= values.length) throw new IllegalStateException("more {} than values in: " + template);
                b.append(values[next++]);
            } else {
                b.append(name.apply(inside));
            }
            i = close;
        }
        if (next != values.length) throw new IllegalStateException("fewer {} than values in: " + template);
        return b.toString();
    }

    /** The words with the settings' domain names. */
    @Override
    public String toString() {
        return render(UnaryOperator.identity());
    }
}
