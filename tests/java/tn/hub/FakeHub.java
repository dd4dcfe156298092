package tn.hub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tn.io.Sha256;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for the Hugging Face hub on 127.0.0.1: GET /OWNER/NAME/resolve/REV/FILE answers
 * 302 to /storage/SHA256 on the host name "localhost" (a second host as far as the client can
 * tell), with the file's sha256 in X-Linked-Etag as the real hub sends it; storage serves the
 * bytes and honours Range. Every request is recorded. Faults are armed for the next storage
 * response only: a connection dropped or the server stopped after n bytes, a body that stalls
 * after n bytes (the connection stays open), an answer that never comes, other bytes served in
 * place of the file (with or without a Content-Length), and a size advertised wrongly.
 */
final class FakeHub implements AutoCloseable {
    /** One request as the server saw it; range and authorization are null when not sent. */
    record Request(String host, String path, String range, String authorization) {}

    private static final Pattern RESOLVE = Pattern.compile("/([^/]+/[^/]+)/resolve/[^/]+/(.+)");
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, byte[]> files = new ConcurrentHashMap<>(); // "OWNER/NAME/FILE" -> bytes
    private final Map<String, byte[]> storage = new ConcurrentHashMap<>(); // sha256 -> bytes
    final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile long cutAfter = -1;
    private volatile long stopAfter = -1;
    private volatile long stallAfter = -1;
    private volatile boolean stallAnswer;
    private volatile byte[] instead;
    private volatile boolean insteadWithLength;
    private volatile long advertisedSizeDelta;
    private volatile boolean noChecksum;
    private volatile boolean stopped;

    FakeHub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        // handlers on their own threads, so that stop() (which waits for the dispatcher) can run mid-transfer
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The hub's URL, for --hub. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void put(String repo, String file, byte[] bytes) {
        files.put(repo + "/" + file, bytes);
        storage.put(Sha256.of(bytes), bytes);
    }

    /** The next storage response drops its connection after n bytes of the body. */
    void cutNextAfter(long n) {
        cutAfter = n;
    }

    /** The next storage response shuts the whole server down after n bytes of the body. */
    void stopNextAfter(long n) {
        stopAfter = n;
    }

    /** The next storage response sends n bytes of the body, then nothing more, holding the connection open. */
    void stallNextAfter(long n) {
        stallAfter = n;
    }

    /** The next storage request gets no answer at all (not even headers) while the server lives. */
    void stallNextAnswer() {
        stallAnswer = true;
    }

    /**
     * The next storage response (200) sends body in place of the file's bytes, with a
     * Content-Length or, withLength false, chunked: a body whose length nothing announced.
     */
    void serveNextInstead(byte[] body, boolean withLength) {
        instead = body;
        insteadWithLength = withLength;
    }

    /** The hub advertises no sha256 (X-Linked-Etag), as for a file outside LFS. */
    void advertiseNoChecksum() {
        noChecksum = true;
    }

    /** For {@link #advertiseSizeOff}: no X-Linked-Size at all. */
    static final long NO_SIZE = Long.MIN_VALUE;

    /** The hub's X-Linked-Size says the file's size plus delta (0: the truth; NO_SIZE: nothing). */
    void advertiseSizeOff(long delta) {
        advertisedSizeDelta = delta;
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        requests.add(new Request(ex.getRequestHeaders().getFirst("Host"), path,
                ex.getRequestHeaders().getFirst("Range"), ex.getRequestHeaders().getFirst("Authorization")));
        try (ex) {
            Matcher resolve = RESOLVE.matcher(path);
            if (resolve.matches() && files.containsKey(resolve.group(1) + "/" + resolve.group(2))) {
                String sha = Sha256.of(files.get(resolve.group(1) + "/" + resolve.group(2)));
                if (!noChecksum) ex.getResponseHeaders().add("X-Linked-Etag", "\"" + sha + "\"");
                if (advertisedSizeDelta != NO_SIZE) {
                    ex.getResponseHeaders().add("X-Linked-Size",
                            String.valueOf(
                                    files.get(resolve.group(1) + "/" + resolve.group(2)).length + advertisedSizeDelta));
                }
                ex.getResponseHeaders().add(
                        "Location", "http://localhost:" + server.getAddress().getPort() + "/storage/" + sha);
                ex.sendResponseHeaders(302, -1);
            } else if (path.startsWith("/storage/") && storage.containsKey(path.substring(9))) {
                serve(ex, storage.get(path.substring(9)));
            } else {
                ex.sendResponseHeaders(404, -1);
            }
        }
    }

    private void serve(HttpExchange ex, byte[] bytes) throws IOException {
        if (stallAnswer) {
            stallAnswer = false;
            hold();
            return;
        }
        byte[] other = instead;
        if (other != null) {
            instead = null;
            ex.sendResponseHeaders(200, insteadWithLength ? other.length : 0);
            ex.getResponseBody().write(other);
            return;
        }
        Matcher range = RANGE.matcher(String.valueOf(ex.getRequestHeaders().getFirst("Range")));
        int start = range.matches() ? (int) Long.parseLong(range.group(1)) : 0;
        if (start >= bytes.length && range.matches()) {
            ex.getResponseHeaders().add("Content-Range", "bytes */" + bytes.length);
            ex.sendResponseHeaders(416, -1);
            return;
        }
        if (range.matches()) {
            ex.getResponseHeaders().add(
                    "Content-Range", "bytes " + start + "-" + (bytes.length - 1) + "/" + bytes.length);
        }
        ex.sendResponseHeaders(range.matches() ? 206 : 200, bytes.length - start);
        long cut = cutAfter, stop = stopAfter, stall = stallAfter;
        cutAfter = -1;
        stopAfter = -1;
        stallAfter = -1;
        long limit = cut >= 0 ? cut : stop >= 0 ? stop : stall >= 0 ? stall : bytes.length;
        OutputStream body = ex.getResponseBody();
        int end = (int) Math.min(bytes.length, start + limit);
        body.write(bytes, start, end - start);
        body.flush();
        if (end == bytes.length) return;
        if (stall >= 0) {
            hold();
            return;
        }
        sleep(); // lets the client take in what was sent before the connection goes
        if (stop >= 0) close();
        // otherwise closing the exchange short of its Content-Length drops the connection
    }

    /** Keeps a handler (and its connection) silent until the server closes. */
    private void hold() {
        while (!stopped) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void close() {
        if (stopped) return;
        stopped = true;
        server.stop(0);
        executor.shutdownNow();
    }
}
