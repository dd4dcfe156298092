package tn.data.tatoeba;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small Tatoeba in its exact export formats: per-language sentences (id TAB lang TAB text),
 * links.tar.bz2 holding links.csv (both directions), and the per-pair jpn-eng_links.tsv, laid out
 * as on the exports site or flat as --from reads them; and a loopback server for them.
 */
final class Exports {
    final List<String> jpn = new ArrayList<>(); // lines without the newline
    final List<String> eng = new ArrayList<>();
    final List<String> links = new ArrayList<>(); // links.csv: each link both ways
    final List<String> pairLinks = new ArrayList<>(); // jpn-eng_links.tsv: jpn id TAB eng id

    void jpn(int id, String text) {
        jpn.add(id + "\tjpn\t" + text);
    }

    void eng(int id, String text) {
        eng.add(id + "\teng\t" + text);
    }

    /** A link between a jpn and an eng sentence, in both files. */
    void link(int jpnId, int engId) {
        links.add(jpnId + "\t" + engId);
        links.add(engId + "\t" + jpnId);
        pairLinks.add(jpnId + "\t" + engId);
    }

    /** Writes the site's layout under dir: per_language/..., links.tar.bz2. */
    void publish(Path dir) throws IOException {
        write(dir.resolve("per_language/jpn/jpn_sentences.tsv.bz2"), bz2(text(jpn)));
        write(dir.resolve("per_language/eng/eng_sentences.tsv.bz2"), bz2(text(eng)));
        write(dir.resolve("per_language/jpn/jpn-eng_links.tsv.bz2"), bz2(text(pairLinks)));
        write(dir.resolve("links.tar.bz2"), linksTarBz2(text(links)));
    }

    /** Writes the files flat into dir, compressed as published or decompressed. */
    void flat(Path dir, boolean compressed) throws IOException {
        if (compressed) {
            write(dir.resolve("jpn_sentences.tsv.bz2"), bz2(text(jpn)));
            write(dir.resolve("eng_sentences.tsv.bz2"), bz2(text(eng)));
            write(dir.resolve("jpn-eng_links.tsv.bz2"), bz2(text(pairLinks)));
            write(dir.resolve("links.tar.bz2"), linksTarBz2(text(links)));
        } else {
            write(dir.resolve("jpn_sentences.tsv"), text(jpn));
            write(dir.resolve("eng_sentences.tsv"), text(eng));
            write(dir.resolve("jpn-eng_links.tsv"), text(pairLinks));
            write(dir.resolve("links.csv"), text(links));
        }
    }

    static byte[] text(List<String> lines) {
        StringBuilder s = new StringBuilder();
        for (String l : lines) s.append(l).append('\n');
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] bz2(byte[] bytes) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (BZip2CompressorOutputStream out = new BZip2CompressorOutputStream(b)) {
            out.write(bytes);
        }
        return b.toByteArray();
    }

    /** As Tatoeba packs it: a bzip2'd tar with links.csv in it. */
    static byte[] linksTarBz2(byte[] csv) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new BZip2CompressorOutputStream(b))) {
            TarArchiveEntry e = new TarArchiveEntry("links.csv");
            e.setSize(csv.length);
            tar.putArchiveEntry(e);
            tar.write(csv);
            tar.closeArchiveEntry();
        }
        return b.toByteArray();
    }

    static void write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }

    /**
     * Serves a folder at http://127.0.0.1:PORT/exports/ with Range support, logs each request as
     * "PATH" or "PATH bytes=N-", and can cut the first response for a path halfway.
     */
    static final class Server implements AutoCloseable {
        private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");
        private final HttpServer http;
        private final Path root;
        final List<String> requests = Collections.synchronizedList(new ArrayList<>());
        private final Set<String> cutOnce = Collections.synchronizedSet(new HashSet<>());

        Server(Path root) throws IOException {
            this.root = root;
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            http.createContext("/exports/", this::handle);
            http.start();
        }

        String url() {
            return "http://127.0.0.1:" + http.getAddress().getPort() + "/exports";
        }

        /** The next response for path (relative to the exports folder) sends half its bytes, then hangs up. */
        void cutOnce(String path) {
            cutOnce.add(path);
        }

        private void handle(HttpExchange ex) throws IOException {
            String path = ex.getRequestURI().getPath().substring("/exports/".length());
            String range = ex.getRequestHeaders().getFirst("Range");
            requests.add(range == null ? path : path + " " + range);
            Path file = root.resolve(path).normalize();
            if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                ex.sendResponseHeaders(404, -1);
                ex.close();
                return;
            }
            byte[] bytes = Files.readAllBytes(file);
            Matcher m = range == null ? null : RANGE.matcher(range);
            int from = m != null && m.matches() ? Integer.parseInt(m.group(1)) : 0;
            if (from > 0) {
                ex.getResponseHeaders().set(
                        "Content-Range", "bytes " + from + "-" + (bytes.length - 1) + "/" + bytes.length);
                ex.sendResponseHeaders(206, bytes.length - from);
            } else {
                ex.sendResponseHeaders(200, bytes.length);
            }
            OutputStream out = ex.getResponseBody();
            if (cutOnce.remove(path)) {
                out.write(bytes, from, (bytes.length - from) / 2);
                out.flush();
                ex.close(); // short of the Content-Length promised: the server drops the connection
                return;
            }
            out.write(bytes, from, bytes.length - from);
            ex.close();
        }

        @Override
        public void close() {
            http.stop(0);
        }
    }
}
