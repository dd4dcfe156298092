package tn.io;

/**
 * Control characters in text from outside (a path, a model's metadata): a newline in a path that
 * reaches a batch script ends its line and runs the rest as a command, and an escape sequence in
 * a model's name reaches the terminal. Paths with them are refused; text printed for the user has
 * them escaped.
 */
public final class ControlChars {
    private ControlChars() {}

    /** Whether c is a control character (C0, DEL, C1) or a Unicode line or paragraph separator. */
    public static boolean isControl(int c) {
        return Character.getType(c) == Character.CONTROL || c == '\u2028' || c == '\u2029';
    }

    /** The index of the first control character in s, or -1. */
    public static int find(String s) {
        for (int i = 0; i < s.length(); i++)
            if (isControl(s.charAt(i))) return i;
        return -1;
    }

    /** s with each control character written as an escape (\n, \t, \r, else \\uXXXX), backslashes left as they are. */
    public static String escape(String s) {
        if (find(s) < 0) return s;
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isControl(c)) {
                b.append(c);
                continue;
            }
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> b.append(String.format("\\u%04x", (int) c));
            }
        }
        return b.toString();
    }
}
