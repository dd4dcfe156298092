package tn.plot;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import tn.io.AtomicFile;

import javax.imageio.ImageIO;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes XChart charts as PNG files, atomically, on machines without a display. */
public final class Png {
    static {
        System.setProperty("java.awt.headless", "true");
        // encode in memory: ImageIO's default cache is a file in java.io.tmpdir, so a full /tmp failed
        // every plot with ImageIO's "I/O error writing PNG file!" instead of the OS's reason
        ImageIO.setUseCache(false);
    }

    private Png() {}

    /** The chart in tn's theme (Theme), written to file. */
    public static void write(Chart<?, ?> chart, Path file) {
        byte[] png = bytes(chart);
        try (AtomicFile out = AtomicFile.create(file)) {
            Files.write(out.temporary(), png);
            out.commit();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The chart in tn's theme as PNG bytes, for a page that embeds it. */
    public static byte[] bytes(Chart<?, ?> chart) {
        Theme.apply(chart);
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a plot: " + e.getMessage(), e);
        }
    }
}
