package tn.report;

import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TTFSubsetter;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import tn.plot.Fonts;

import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * tn's fonts embedded in the page, each cut to the characters of the page it shows (a whole CJK
 * font is 5-10 MB): the JP font takes every character it has, KR those left that it has, SC the
 * rest. The style sheet lists them in that order, so the browser draws each character with the
 * first that has it, and no text depends on the reader's fonts.
 */
final class PageFont {
    static final String FAMILIES = "'tn-jp', 'tn-kr', 'tn-sc'";
    private static final List<String> NAMES = List.of("tn-jp", "tn-kr", "tn-sc");

    /**
     * FontBox warns on stderr that it skips the fonts' variation-selector cmap (format 14), which the
     * page needs none of. Held: loggers are weak.
     */
    private static final java.util.logging.Logger FONTBOX_LOG =
            java.util.logging.Logger.getLogger("org.apache.fontbox");

    static {
        FONTBOX_LOG.setLevel(java.util.logging.Level.SEVERE);
    }

    private PageFont() {}

    /** @font-face rules for the characters of text. */
    static String css(String text) {
        Set<Integer> left = new TreeSet<>();
        text.codePoints().filter(c -> c >= 0x20).forEach(left::add);
        List<Font> fonts = Fonts.all();
        StringBuilder css = new StringBuilder();
        for (int i = 0; i < fonts.size() && !left.isEmpty(); i++) { // none where they cannot load
            Font font = fonts.get(i);
            Set<Integer> mine = new TreeSet<>();
            for (int c : left)
                if (font.canDisplay(c)) mine.add(c);
            if (mine.isEmpty()) continue;
            left.removeAll(mine);
            css.append("@font-face{font-family:'")
                    .append(NAMES.get(i))
                    .append("';src:url(data:font/ttf;base64,")
                    .append(Base64.getEncoder().encodeToString(subset(Fonts.SHIPPED.get(i).bytes(), mine)))
                    .append(") format('truetype')}\n");
        }
        return css.toString();
    }

    private static byte[] subset(byte[] font, Set<Integer> codePoints) {
        try (TrueTypeFont ttf = new TTFParser().parse(new RandomAccessReadBuffer(font))) {
            TTFSubsetter subsetter = new TTFSubsetter(ttf,
                    new ArrayList<>(List.of("head", "hhea", "loca", "maxp", "cvt ", "prep", "glyf", "hmtx", "fpgm",
                            "gasp", "name", "OS/2", "cmap")));
            subsetter.addAll(codePoints);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            subsetter.writeToStream(out);
            return PostTable.add(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot cut tn's font to the page's characters: " + e.getMessage(), e);
        }
    }
}
