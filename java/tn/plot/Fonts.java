package tn.plot;

import java.awt.Font;
import java.awt.FontFormatException;
import java.awt.GraphicsEnvironment;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The fonts tn ships (scripts/fetch-fonts puts them in the jar under tn/fonts): Noto Sans JP, KR
 * and SC. Each covers Latin, Greek and Cyrillic; Japanese text needs JP (KR lacks common kanji such
 * as 働, SC draws them in Chinese forms), Korean needs KR, simplified Chinese SC. Plots and report
 * pages use only these, never the machine's fonts, which on most servers have no CJK glyphs.
 */
public final class Fonts {
    /** A shipped font: its resource file and the family name it registers. */
    public record Shipped(String file, String family) {
        /** The font's bytes, read from the jar. */
        public byte[] bytes() {
            try (InputStream in = Fonts.class.getResourceAsStream("/tn/fonts/" + file)) {
                if (in == null)
                    throw new IllegalStateException(
                            "tn's font " + file + " is not in the jar: run scripts/fetch-fonts and rebuild");
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read tn's font " + file, e);
            }
        }

        /**
         * The font, read where it lies when that is a file (tn run from its classes), else copied
         * by Java into a temporary file first (from the jar).
         */
        Font create() throws IOException, FontFormatException {
            URL url = Fonts.class.getResource("/tn/fonts/" + file);
            if (url != null && url.getProtocol().equals("file")) {
                try {
                    return Font.createFont(Font.TRUETYPE_FONT, new File(url.toURI()));
                } catch (URISyntaxException e) {
                    // not a path after all: read it as the jar's
                }
            }
            try (InputStream in = new ByteArrayInputStream(bytes())) {
                return Font.createFont(Font.TRUETYPE_FONT, in);
            }
        }
    }

    /** In order of preference: text that JP can show uses JP, and so on. */
    public static final List<Shipped> SHIPPED = List.of(new Shipped("NotoSansJP_400Regular.ttf", "Noto Sans JP"),
            new Shipped("NotoSansKR_400Regular.ttf", "Noto Sans KR"),
            new Shipped("NotoSansSC_400Regular.ttf", "Noto Sans SC"));

    private static List<Font> loaded;

    private Fonts() {}

    /**
     * The shipped fonts at size 1, loaded and registered with Java's graphics environment once;
     * none where Java cannot load them (it copies each to a temporary file first, which a full disk
     * or a file size limit refuses): then tn says so once and draws with Java's own sans-serif font
     * rather than fail a run over its plots' looks.
     */
    public static synchronized List<Font> all() {
        if (loaded == null) {
            List<Font> fonts = new ArrayList<>();
            for (Shipped s : SHIPPED) {
                try {
                    Font f = s.create();
                    GraphicsEnvironment.getLocalGraphicsEnvironment().registerFont(f);
                    fonts.add(f);
                } catch (FontFormatException e) {
                    throw new IllegalStateException(
                            "tn's font " + s.file() + " cannot be loaded: " + e.getMessage(), e);
                } catch (IOException e) {
                    System.err.println("tn: warning: tn's fonts cannot be loaded (" + e.getMessage()
                            + "); plots use Java's sans-serif font, which may lack CJK glyphs");
                    fonts.clear();
                    break;
                }
            }
            loaded = List.copyOf(fonts);
        }
        return loaded;
    }

    /** The shipped font that can show the most of texts' characters (the first such font on a tie). */
    public static Font forText(Collection<String> texts) {
        Font best = all().isEmpty() ? new Font(Font.SANS_SERIF, Font.PLAIN, 1) : null;
        long bestMissing = Long.MAX_VALUE;
        for (Font f : all()) {
            long missing = texts.stream()
                                   .flatMapToInt(String::codePoints)
                                   .filter(c -> !Character.isWhitespace(c) && !f.canDisplay(c))
                                   .count();
            if (missing < bestMissing) {
                best = f;
                bestMissing = missing;
            }
        }
        return best;
    }
}
