package tn.plot;

import java.awt.Font;
import java.awt.FontFormatException;
import java.awt.GraphicsEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
    }

    /** In order of preference: text that JP can show uses JP, and so on. */
    public static final List<Shipped> SHIPPED = List.of(new Shipped("NotoSansJP_400Regular.ttf", "Noto Sans JP"),
            new Shipped("NotoSansKR_400Regular.ttf", "Noto Sans KR"),
            new Shipped("NotoSansSC_400Regular.ttf", "Noto Sans SC"));

    private static List<Font> loaded;

    private Fonts() {}

    /** The shipped fonts at size 1, loaded and registered with Java's graphics environment once. */
    public static synchronized List<Font> all() {
        if (loaded == null) {
            List<Font> fonts = new ArrayList<>();
            for (Shipped s : SHIPPED) {
                try (InputStream in = new java.io.ByteArrayInputStream(s.bytes())) {
                    Font f = Font.createFont(Font.TRUETYPE_FONT, in);
                    GraphicsEnvironment.getLocalGraphicsEnvironment().registerFont(f);
                    fonts.add(f);
                } catch (IOException | FontFormatException e) {
                    throw new IllegalStateException(
                            "tn's font " + s.file() + " cannot be loaded: " + e.getMessage(), e);
                }
            }
            loaded = List.copyOf(fonts);
        }
        return loaded;
    }

    /** The shipped font that can show the most of texts' characters (the first such font on a tie). */
    public static Font forText(Collection<String> texts) {
        Font best = null;
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
