package tn.net;

import tn.io.Progress;
import tn.io.Sha256;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads a URL to a file the way multi-gigabyte model files need: the bytes go to FILE.part,
 * a later call resumes a partial FILE.part with a Range request, the sha256 is checked when one
 * is known, and only a complete, verified file is renamed (atomically) to FILE. Redirects are
 * followed by hand so that a bearer token goes only to the hosts it was given for, never to the
 * storage host a hub redirects to.
 */
public final class Downloader {
    private static final int MAX_REDIRECTS = 10;
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    private static final Pattern UNSATISFIED_RANGE = Pattern.compile("bytes \\*/(\\d+)");

    /** What a completed download gave. */
    public record Result(Path file, long bytes, String sha256, long resumedFrom) {
    }

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(30)).followRedirects(HttpClient.Redirect.NEVER).build();
    private final Map<String, String> bearerTokens;   // host -> token
    private final boolean quiet;
    private final PrintStream err;

    /** bearerTokens: host -> token, sent as "Authorization: Bearer" to that host only. */
    public Downloader(Map<String, String> bearerTokens, boolean quiet, PrintStream err) {
        this.bearerTokens = Map.copyOf(bearerTokens);
        this.quiet = quiet;
        this.err = err;
    }

    /** The partial file a download of target writes to. */
    public static Path partial(Path target) {
        return target.resolveSibling(target.getFileName() + ".part");
    }

    /**
     * Downloads uri to target, resuming target.part if present; expectedSha256 (lower-case hex)
     * or null. On a checksum mismatch the partial file is deleted (its bytes are wrong); on a
     * network failure it is kept for the next call to resume.
     */
    public Result fetch(URI uri, Path target, String expectedSha256) {
        Path part = partial(target);
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            long have = Files.isRegularFile(part) ? Files.size(part) : 0;
            long resumedFrom = transfer(uri, part, have, true);
            String sha = Sha256.of(part);
            if (expectedSha256 != null && !expectedSha256.equalsIgnoreCase(sha)) {
                Files.deleteIfExists(part);
                throw new DownloadException.Refused("checksum mismatch for " + uri + ": expected sha256 "
                        + expectedSha256.toLowerCase(Locale.ROOT) + ", got " + sha + "; the download was deleted");
            }
            try (FileChannel ch = FileChannel.open(part, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return new Result(target, Files.size(target), sha, resumedFrom);
        } catch (IOException e) {
            throw new DownloadException("cannot write " + part + ": " + e.getMessage(), e);
        }
    }

    /** Brings part to the full file; returns the offset it resumed from (0: from the start). */
    private long transfer(URI uri, Path part, long have, boolean mayRestart) throws IOException {
        HttpResponse<InputStream> response = open(uri, have);
        int status = response.statusCode();
        long start;
        long total;
        if (status == 206) {
            Matcher m = CONTENT_RANGE.matcher(response.headers().firstValue("Content-Range").orElse(""));
            if (!m.matches() || Long.parseLong(m.group(1)) != have) {
                response.body().close();
                if (!mayRestart) throw refused(uri, status, "an unusable Content-Range");
                Files.deleteIfExists(part);
                return transfer(uri, part, 0, false);
            }
            start = have;
            total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
        } else if (status == 200) {
            start = 0;    // a server that ignores Range sends the whole file again
            total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        } else if (status == 416 && have > 0) {
            response.body().close();
            Matcher m = UNSATISFIED_RANGE.matcher(response.headers().firstValue("Content-Range").orElse(""));
            if (m.matches() && Long.parseLong(m.group(1)) == have) return have;   // the part was already complete
            if (!mayRestart) throw refused(uri, status, "Range Not Satisfiable");
            Files.deleteIfExists(part);
            return transfer(uri, part, 0, false);
        } else {
            response.body().close();
            throw refused(uri, status, null);
        }

        long done = start;
        String label = "download " + part.getFileName().toString().replaceFirst("\\.part$", "");
        try (InputStream in = response.body();
             OutputStream out = start > 0
                     ? Files.newOutputStream(part, StandardOpenOption.WRITE, StandardOpenOption.APPEND)
                     : Files.newOutputStream(part);
             Progress progress = Progress.bytes(label, total > 0 ? total : 0, start, quiet, err)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
                done += n;
                progress.advance(n);
            }
        } catch (IOException e) {
            throw interrupted(uri, part, done, total, e);
        }
        if (total >= 0 && done != total) {
            throw interrupted(uri, part, done, total, new IOException("the connection ended early"));
        }
        return start;
    }

    /** GETs uri (from byte offset on), following redirects; the token goes only to its own host. */
    private HttpResponse<InputStream> open(URI uri, long offset) {
        URI current = uri;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(current).GET()
                    .header("User-Agent", "tn (transfer neurons toolkit)");
            if (offset > 0) request.header("Range", "bytes=" + offset + "-");
            String token = bearerTokens.get(current.getHost());
            if (token != null) request.header("Authorization", "Bearer " + token);
            HttpResponse<InputStream> response;
            try {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                throw new DownloadException("cannot reach " + current + ": " + describe(e), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DownloadException("interrupted while connecting to " + current, e);
            }
            int status = response.statusCode();
            if (status / 100 != 3 || status == 304) return response;
            String location = response.headers().firstValue("Location").orElse(null);
            try {
                response.body().close();
            } catch (IOException ignored) {
                // the redirect's own body is of no use
            }
            if (location == null) throw refused(current, status, "a redirect without a Location");
            current = current.resolve(location);
        }
        throw refused(uri, 310, "more than " + MAX_REDIRECTS + " redirects");
    }

    private static DownloadException.Refused refused(URI uri, int status, String detail) {
        String why = switch (status) {
            case 401, 403 -> "access refused (HTTP " + status + "); for a gated or private repository set HF_TOKEN "
                    + "to a token that has access";
            case 404 -> "not found (HTTP 404): check the repository, file name and revision";
            default -> "the server answered HTTP " + status + (detail != null ? " with " + detail : "");
        };
        return new DownloadException.Refused("cannot download " + uri + ": " + why);
    }

    private static DownloadException interrupted(URI uri, Path part, long done, long total, IOException e) {
        return new DownloadException("download of " + uri + " interrupted after " + done
                + (total >= 0 ? " of " + total : "") + " bytes (" + describe(e) + "); the partial file " + part
                + " is kept: run the same command again to resume", e);
    }

    private static String describe(IOException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
