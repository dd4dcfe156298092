package tn.net;

import tn.io.Console;
import tn.io.Progress;
import tn.io.Sha256;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads a URL to a file the way multi-gigabyte model files need: the bytes go to FILE.part,
 * a later call resumes a partial FILE.part with a Range request, the sha256 is checked when one
 * is known, and only a complete, verified file is renamed (atomically) to FILE. Redirects are
 * followed by hand so that a bearer token goes only to the hosts it was given for, never to the
 * storage host a hub redirects to. Without a checksum from the caller, the one a Hugging Face
 * hub advertises for LFS files (X-Linked-Etag, the file's sha256) is checked instead, and its
 * advertised size (X-Linked-Size) too. A server that stalls (no connection, no answer, no byte
 * of the body) for the timeout fails the download as a network failure, keeping FILE.part; the
 * caller's {@link Content} refuses bytes that are plainly not what was asked for (an HTML page).
 */
public final class Downloader {
    private static final int MAX_REDIRECTS = 10;
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    private static final Pattern UNSATISFIED_RANGE = Pattern.compile("bytes \\*/(\\d+)");

    /** What the downloaded bytes were checked against. */
    public enum Check { GIVEN, ADVERTISED, NONE }

    /** What a completed download gave. */
    public record Result(Path file, long bytes, String sha256, long resumedFrom, Check check) {}

    /**
     * How a transfer went: the offset it resumed from (0: from the start), the sha256 of the whole
     * file, and the sha256 the server advertised or null.
     */
    private record Transfer(long resumedFrom, String sha256, String advertisedSha256) {}

    /** A response, with what the first host advertised of the file: its sha256 (or null) and size (or -1). */
    private record Opened(HttpResponse<InputStream> response, String advertisedSha256, long advertisedSize) {}

    /**
     * What the downloaded bytes must be. {@link #checkStart} sees the file's first bytes as soon as
     * they are there and refuses what is plainly something else (by throwing a {@link
     * DownloadException.Refused}: the partial file is deleted); {@link #checkComplete} sees the
     * whole file before it is renamed into place, and throws Refused (deleted) or a plain
     * DownloadException (a file cut short: kept, to resume).
     */
    public interface Content {
        /** How many first bytes {@link #checkStart} wants. */
        int START = 16;

        void checkStart(byte[] first, URI uri);

        void checkComplete(Path part, URI uri);

        /** Any bytes at all. */
        Content ANY = new Content() {
            @Override
            public void checkStart(byte[] first, URI uri) {}

            @Override
            public void checkComplete(Path part, URI uri) {}
        };
    }

    /** How long a connection, an answer, or the next byte of a body may take: 20 s unless set. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

    /** What to tell the user when the server refuses access or has no such file (null: nothing more). */
    public record Advice(String accessRefused, String notFound) {
        public static final Advice NONE = new Advice(null, null);
    }

    private final HttpClient client;
    private final Map<String, String> bearerTokens; // host -> token
    private final Advice advice;
    private final boolean quiet;
    private final Console console;
    private final Duration timeout;

    /** bearerTokens: host -> token, sent as "Authorization: Bearer" to that host only. */
    public Downloader(Map<String, String> bearerTokens, Advice advice, boolean quiet, Console console) {
        this(bearerTokens, advice, quiet, console, DEFAULT_TIMEOUT);
    }

    /** timeout: how long a connection, the server's answer (over all redirects), or a pause in the body may last. */
    public Downloader(
            Map<String, String> bearerTokens, Advice advice, boolean quiet, Console console, Duration timeout) {
        if (timeout.isNegative() || timeout.isZero())
            throw new IllegalArgumentException("the timeout must be positive");
        this.bearerTokens = Map.copyOf(bearerTokens);
        this.advice = advice;
        this.quiet = quiet;
        this.console = console;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                              .version(HttpClient.Version.HTTP_1_1)
                              .connectTimeout(timeout)
                              .followRedirects(HttpClient.Redirect.NEVER)
                              .build();
    }

    /** The partial file a download of target writes to. */
    public static Path partial(Path target) {
        return target.resolveSibling(target.getFileName() + ".part");
    }

    /**
     * Downloads uri to target, resuming target.part if present; expectedSha256 (hex) or null to
     * check the server's advertised sha256, if any. On a checksum mismatch the partial file is
     * deleted (its bytes are wrong); on a network failure it is kept for the next call to resume.
     */
    public Result fetch(URI uri, Path target, String expectedSha256) {
        return fetch(uri, target, expectedSha256, Content.ANY);
    }

    /** As above, with content checking what arrives (an HTML page instead of a model is refused). */
    public Result fetch(URI uri, Path target, String expectedSha256, Content content) {
        Path part = partial(target);
        try {
            long have = Files.isRegularFile(part) ? Files.size(part) : 0;
            Transfer transfer;
            try {
                transfer = transfer(uri, part, have, true, content);
            } catch (DownloadException.Refused e) {
                Files.deleteIfExists(part); // bytes that are not the file: resuming them would not help
                throw e;
            }
            DownloadException.Refused notContent = null;
            try {
                content.checkComplete(part, uri); // a file cut short fails here, as a network failure: kept to resume
            } catch (DownloadException.Refused e) {
                notContent = e; // told after a checksum mismatch, the plainer of the two
            }
            String expected = expectedSha256 != null ? expectedSha256 : transfer.advertisedSha256();
            String sha = transfer.sha256();
            if (expected != null && !expected.equalsIgnoreCase(sha)) {
                Files.deleteIfExists(part);
                throw new DownloadException.Refused("checksum mismatch for " + uri + ": expected sha256 "
                        + expected.toLowerCase(Locale.ROOT)
                        + (expectedSha256 == null ? " (advertised by the server)" : "") + ", got " + sha
                        + "; the download was deleted");
            }
            if (notContent != null) {
                Files.deleteIfExists(part);
                throw notContent;
            }
            try (FileChannel ch = FileChannel.open(part, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Check check = expectedSha256 != null ? Check.GIVEN : expected != null ? Check.ADVERTISED : Check.NONE;
            return new Result(target, Files.size(target), sha, transfer.resumedFrom(), check);
        } catch (IOException e) {
            throw new DownloadException("cannot write " + part + ": " + e.getMessage(), e);
        }
    }

    /** Brings part to the full file. */
    private Transfer transfer(URI uri, Path part, long have, boolean mayRestart, Content content) throws IOException {
        Opened opened = open(uri, have);
        HttpResponse<InputStream> response = opened.response();
        int status = response.statusCode();
        long start;
        long total;
        if (status == 206) {
            Matcher m = CONTENT_RANGE.matcher(response.headers().firstValue("Content-Range").orElse(""));
            if (!m.matches() || Long.parseLong(m.group(1)) != have) {
                response.body().close();
                if (!mayRestart) throw refused(uri, status, "an unusable Content-Range");
                Files.deleteIfExists(part);
                return transfer(uri, part, 0, false, content);
            }
            start = have;
            total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
        } else if (status == 200) {
            start = 0; // a server that ignores Range sends the whole file again
            total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        } else if (status == 416 && have > 0) {
            response.body().close();
            Matcher m = UNSATISFIED_RANGE.matcher(response.headers().firstValue("Content-Range").orElse(""));
            if (m.matches() && Long.parseLong(m.group(1)) == have) {
                return new Transfer(have, Sha256.of(part), opened.advertisedSha256()); // the part was already complete
            }
            if (!mayRestart) throw refused(uri, status, "Range Not Satisfiable");
            Files.deleteIfExists(part);
            return transfer(uri, part, 0, false, content);
        } else {
            response.body().close();
            throw refused(uri, status, null);
        }

        try {
            // only now, so that a refused request leaves no empty folders behind
            Files.createDirectories(part.toAbsolutePath().getParent());
        } catch (IOException e) {
            response.body().close();
            throw e;
        }
        // hashed as it arrives, after what a resumed download already has: the file is read once, not twice
        MessageDigest sha = Sha256.digest();
        if (start > 0) Sha256.update(sha, part);
        long done = start;
        String label = "download " + part.getFileName().toString().replaceFirst("\\.part$", "");
        byte[] first = start > 0 ? firstBytes(part) : new byte[0];
        boolean checked = first.length >= Content.START;
        if (checked) content.checkStart(first, uri);
        InputStream in = response.body();
        try (IdleWatch watch = new IdleWatch(in, timeout); in; OutputStream out = start > 0
                        ? Files.newOutputStream(part, StandardOpenOption.WRITE, StandardOpenOption.APPEND)
                        : Files.newOutputStream(part);
                Progress progress = Progress.bytes(
                        label, total > 0 ? total : Math.max(0, opened.advertisedSize()), start, quiet, console)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = watch.read(buf)) > 0;) {
                if (!checked) {
                    first = Arrays.copyOf(first, first.length + n);
                    System.arraycopy(buf, 0, first, first.length - n, n);
                    if (first.length >= Content.START) {
                        content.checkStart(first, uri);
                        checked = true;
                    }
                }
                out.write(buf, 0, n);
                sha.update(buf, 0, n);
                done += n;
                progress.advance(n);
            }
        } catch (IdleWatch.Stalled e) {
            throw interrupted(uri, part, done, total,
                    new IOException("no data for " + timeout.toSeconds() + " s; the server stalled"));
        } catch (IOException e) {
            throw interrupted(uri, part, done, total, e);
        }
        if (!checked) content.checkStart(first, uri); // a file shorter than the bytes checkStart wants
        for (long announced : new long[] {total, opened.advertisedSize()}) {
            if (announced >= 0 && done < announced) {
                throw interrupted(uri, part, done, announced,
                        new IOException("the body ended before the " + announced + " bytes announced"));
            }
            if (announced >= 0 && done > announced) {
                throw new DownloadException.Refused("cannot download " + uri + ": the server sent " + done
                        + " bytes where " + announced + " were announced; the download was deleted");
            }
        }
        return new Transfer(start, Sha256.hex(sha), opened.advertisedSha256());
    }

    /**
     * GETs uri (from byte offset on), following redirects; the token goes only to its own host.
     * A hub advertises the sha256 on its own response, before redirecting to storage.
     */
    private Opened open(URI uri, long offset) {
        URI current = uri;
        String advertised = null;
        long advertisedSize = -1;
        long deadline = System.nanoTime() + timeout.toNanos(); // for the answer, over every redirect
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new DownloadException("cannot download " + uri + ": no answer within " + timeout.toSeconds()
                                + " s (" + hop + " redirects so far)",
                        null);
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(current)
                                                  .GET()
                                                  .timeout(Duration.ofNanos(left))
                                                  .header("User-Agent", "tn (transfer neurons toolkit)");
            if (offset > 0) request.header("Range", "bytes=" + offset + "-");
            String token = bearerTokens.get(current.getHost());
            if (token != null) request.header("Authorization", "Bearer " + token);
            HttpResponse<InputStream> response;
            try {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (java.net.http.HttpTimeoutException e) {
                throw new DownloadException("cannot download " + current + ": no answer within " + timeout.toSeconds()
                                + " s (" + describe(e) + ")",
                        e);
            } catch (IOException e) {
                throw new DownloadException("cannot reach " + current + ": " + describe(e), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DownloadException("interrupted while connecting to " + current, e);
            }
            String etag =
                    response.headers().firstValue("X-Linked-Etag").orElse("").replaceFirst("^W/", "").replace("\"", "");
            if (Sha256.isHex(etag)) advertised = etag.toLowerCase(Locale.ROOT);
            advertisedSize = response.headers().firstValueAsLong("X-Linked-Size").orElse(advertisedSize);
            int status = response.statusCode();
            if (status / 100 != 3 || status == 304) return new Opened(response, advertised, advertisedSize);
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

    /** The first bytes of a partial file, for {@link Content#checkStart} when a download resumes. */
    private static byte[] firstBytes(Path part) throws IOException {
        try (InputStream in = Files.newInputStream(part)) {
            return in.readNBytes(Content.START);
        }
    }

    private DownloadException.Refused refused(URI uri, int status, String detail) {
        String why = switch (status) {
            case 401, 403 ->
                "access refused (HTTP " + status + ")"
                        + (advice.accessRefused() != null ? "; " + advice.accessRefused() : "");
            case 404 -> "not found (HTTP 404)" + (advice.notFound() != null ? ": " + advice.notFound() : "");
            default -> "the server answered HTTP " + status + (detail != null ? " with " + detail : "");
        };
        return new DownloadException.Refused("cannot download " + uri + ": " + why);
    }

    private static DownloadException interrupted(URI uri, Path part, long done, long total, IOException e) {
        return new DownloadException("download of " + uri + " interrupted after " + done
                        + (total >= 0 ? " of " + total : "") + " bytes (" + describe(e) + "); the partial file " + part
                        + " is kept: run the same command again to resume",
                e);
    }

    private static String describe(IOException e) {
        String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        // the HTTP client's body stream says only "closed"; the reason is its cause
        Throwable cause = e.getCause();
        return cause != null && cause.getMessage() != null && !why.contains(cause.getMessage())
                ? why + ": " + cause.getMessage()
                : why;
    }
}
