package tn.io;

import java.util.Locale;

/** File sizes for people: "23.4 MB (23412448 bytes)". */
public final class Sizes {
    private Sizes() {}

    public static String human(long bytes) {
        String[] units = {"kB", "MB", "GB", "TB"};
        if (bytes < 1000) return bytes + " bytes";
        double v = bytes;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s (%d bytes)", v, units[u], bytes);
    }
}
