package tn.hub;

import tn.gguf.GgufFile;
import tn.bridge.LlamaException;
import tn.net.DownloadException;
import tn.net.Downloader;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * What `tn model pull` accepts as a model file: bytes that begin as every GGUF file does (an HTML
 * error page or a JSON answer served with 200 is refused at its first bytes), and a complete file
 * whose index reads and whose tensors all lie within it (a body cut off without a Content-Length
 * is a download to resume, not a model).
 */
final class GgufContent implements Downloader.Content {
    private static final byte[] MAGIC = "GGUF".getBytes(StandardCharsets.US_ASCII);

    @Override
    public void checkStart(byte[] first, URI uri) {
        if (first.length >= MAGIC.length && Arrays.equals(Arrays.copyOf(first, MAGIC.length), MAGIC)) return;
        String start = new String(first, StandardCharsets.UTF_8).replaceAll("\\p{Cntrl}", " ").strip();
        throw new DownloadException.Refused("cannot download " + uri + ": the server sent something that is not a GGUF "
                + "file (it begins '" + start + "', not 'GGUF'); the download was deleted");
    }

    @Override
    public void checkComplete(Path part, URI uri) {
        try (GgufFile ignored = GgufFile.open(part)) {
            // a readable index, every tensor within the file: a model file
        } catch (LlamaException e) {
            if (GgufFile.isTruncated(e)) {
                throw new DownloadException("download of " + uri + " ended early: " + e.getMessage() + "; the partial "
                                + "file is kept: run the same command again to resume",
                        e);
            }
            throw new DownloadException.Refused("cannot download " + uri
                    + ": the server sent a file that is not a valid "
                    + "GGUF (" + e.getMessage() + "); the download was deleted");
        }
    }
}
