package tn.data.tatoeba;

import tn.io.Console;
import tn.io.Wording;
import tn.io.InvalidValueException;
import tn.io.InputException;
import tn.io.Sha256;
import tn.net.Downloader;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Brings Tatoeba's export files onto disk: downloaded from the exports site into a cache folder
 * (a file already there is reused, a partial one resumed), or found in a local folder as
 * published (.bz2) or already decompressed. Both keep Tatoeba's file names, so a cache folder
 * also works as a local folder.
 */
public final class ExportFiles {
    public static final String DEFAULT_BASE_URL = "https://downloads.tatoeba.org/exports";

    /** Which links export to read. */
    public enum Links {
        /** links.tar.bz2, every link between any two sentences (large: hundreds of MB decompressed). */
        ALL,
        /** per_language/L2/L2-eng_links.tsv.bz2, the links of L2 sentences to English ones only. */
        PAIR
    }

    /** One export file on disk: role (what it is for), url (null for a local file), whether this run downloaded it. */
    public record Source(String role, Path path, String url, boolean downloaded, long bytes, String sha256) {}

    private final URI base; // null: local
    private final Path dir; // the cache, or the local folder
    private final Downloader downloader;

    private ExportFiles(URI base, Path dir, Downloader downloader) {
        this.base = base;
        this.dir = dir;
        this.downloader = downloader;
    }

    /** Downloads from baseUrl (the folder that holds per_language/ and links.tar.bz2) into cache. */
    public static ExportFiles remote(String baseUrl, Path cache, boolean quiet, Console console) {
        URI base;
        try {
            base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        } catch (IllegalArgumentException e) {
            throw new InvalidValueException("{base_url}: not a URL: {}", baseUrl);
        }
        if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme())) {
            throw new InvalidValueException("{base_url}: expected an http or https URL, got {}", baseUrl);
        }
        return new ExportFiles(base, cache, new Downloader(Map.of(), Downloader.Advice.NONE, quiet, console));
    }

    /** Reads the files from dir, as Tatoeba names them, compressed or not. */
    public static ExportFiles local(Path dir) {
        if (!Files.isDirectory(dir)) throw new InputException(Wording.of("{from} {}: no such folder", dir));
        return new ExportFiles(null, dir, null);
    }

    /** Where the sentences of lang (ISO 639-3) are, relative to the exports folder. */
    public static String sentencesPath(String lang) {
        return "per_language/" + lang + "/" + lang + "_sentences.tsv.bz2";
    }

    /** Where the links are, relative to the exports folder. */
    public static String linksPath(Links links, String l2) {
        return links == Links.ALL ? "links.tar.bz2"
                                  : "per_language/" + l2 + "/" + l2 + "-" + Languages.ENGLISH + "_links.tsv.bz2";
    }

    /** The export file at remotePath (relative to the exports folder), on disk. */
    public Source get(String role, String remotePath) {
        String name = remotePath.substring(remotePath.lastIndexOf('/') + 1);
        return base == null ? find(role, name) : download(role, remotePath, name);
    }

    private Source download(String role, String remotePath, String name) {
        Path target = dir.resolve(name);
        String url = base.resolve(remotePath).toString();
        if (Files.isRegularFile(target)) return source(role, target, url, false, Sha256.of(target));
        Downloader.Result r = downloader.fetch(URI.create(url), target, null);
        return source(role, target, url, true, r.sha256());
    }

    /** A decompressed copy is preferred: it reads several times faster than bzip2. */
    private Source find(String role, String name) {
        List<Path> tried = new ArrayList<>();
        for (String candidate : List.of(decompressedName(name), name)) {
            Path p = dir.resolve(candidate);
            if (Files.isRegularFile(p)) return source(role, p, null, false, Sha256.of(p));
            tried.add(p);
        }
        throw new InputException(Wording.of("{from} {}: found neither {} nor {} (Tatoeba's {})", dir,
                tried.get(0).getFileName(), tried.get(1).getFileName(), name));
    }

    /** links.tar.bz2 holds links.csv; any other NAME.bz2 decompresses to NAME. */
    static String decompressedName(String name) {
        return name.equals("links.tar.bz2") ? "links.csv" : name.replaceFirst("\\.bz2$", "");
    }

    private static Source source(String role, Path path, String url, boolean downloaded, String sha256) {
        try {
            return new Source(role, path, url, downloaded, Files.size(path), sha256);
        } catch (IOException e) {
            throw InputException.unreadable(path, e);
        }
    }
}
