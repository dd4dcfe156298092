package tn.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;
import java.util.regex.Pattern;

/** Numbers as a reader wants them: three significant digits, whole numbers and ranks as integers. */
final class Numbers {
    /** NaN (a mean over fewer neurons than asked for, a figure without data) shows as a dash. */
    static final String NOT_A_NUMBER = "–";
    private static final Pattern INTEGER = Pattern.compile("[-+]?\\d+");

    private Numbers() {}

    /** "0.123", "12.3", "1.23e-05", "1234" (a whole number keeps its digits); other text as it is. */
    static String format(String text) {
        String t = text.strip();
        if (INTEGER.matcher(t).matches()) return t;
        if (t.equalsIgnoreCase("nan")) return NOT_A_NUMBER;
        double v;
        try {
            v = Double.parseDouble(t);
        } catch (NumberFormatException e) {
            return text;
        }
        return format(v);
    }

    static String format(double v) {
        if (Double.isNaN(v)) return NOT_A_NUMBER;
        if (Double.isInfinite(v)) return v > 0 ? "∞" : "-∞";
        if (v == 0) return "0";
        double a = Math.abs(v);
        if (a < 1e-3 || a >= 1e6) return String.format(Locale.ROOT, "%.2e", v);
        if (a >= 100) return String.valueOf(Math.round(v));
        return new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }

    /** A rank or count written as a decimal ("3.0"): "3"; a fractional one rounded to 3 digits. */
    static String integer(String text) {
        try {
            double v = Double.parseDouble(text.strip());
            return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : format(v);
        } catch (NumberFormatException e) {
            return text;
        }
    }

    /** "78%" of a share 0..1. */
    static String percent(double share) {
        return Math.round(100 * share) + "%";
    }
}
