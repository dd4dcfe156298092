package tn.report;

import tn.io.InputException;
import tn.io.InputFile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;

/** A PNG plot embedded in the page as a data: URI, so the page needs no file beside it. */
final class PngFile {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private PngFile() {}

    /** Whether the file starts as every PNG does: a ".png" that is not one would show as a broken image. */
    static boolean hasSignature(Path file) {
        try (InputStream in = InputFile.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(SIGNATURE.length), SIGNATURE);
        } catch (IOException e) {
            throw InputException.unreadable(file, e);
        }
    }

    /** The plot as a figure with its caption; alt says which plot of which folder it is. */
    static void figure(HtmlWriter html, Path png, String folder) {
        String file = png.getFileName().toString();
        html.open("figure")
                .open("img", "src", dataUri(png), "alt", "plot " + file + " of " + folder)
                .element("figcaption", file)
                .close("figure")
                .newline();
    }

    static String dataUri(Path file) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(InputFile.readAllBytes(file));
    }
}
