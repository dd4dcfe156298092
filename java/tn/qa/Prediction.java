package tn.qa;

/**
 * The answer a continuation gives: its first non-empty line. Models keep writing after the
 * answer (another "Question:", an explanation), and MKQA scores short answers.
 */
public final class Prediction {
    private Prediction() {}

    public static String of(String generated) {
        String s = generated.stripLeading();
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
