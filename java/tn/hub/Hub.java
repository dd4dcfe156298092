package tn.hub;

import tn.io.InvalidValueException;
import tn.net.Downloader;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A Hugging Face hub (or a mirror with the same URL scheme) and the token to send it. The token
 * is handed to the downloader for the hub's own host only: the storage hosts it redirects to get
 * signed URLs, and must never see the token.
 */
public final class Hub {
    public static final String DEFAULT_URL = "https://huggingface.co";
    /** What a refused or missing download from a hub usually means. */
    /** What a model file downloaded from a hub must be: a GGUF, complete. */
    public static final Downloader.Content GGUF = new GgufContent();
    public static final Downloader.Advice ADVICE =
            new Downloader.Advice("for a gated or private repository set HF_TOKEN to a token that has access",
                    "check the repository, file name and revision");

    private final URI base;
    private final String token;

    /** base: the hub's URL (a path prefix is kept); token: a bearer token or null. */
    public Hub(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    /**
     * The hub of the option (the command line's --hub), else of TN_HUB_URL, else huggingface.co; the token of HF_TOKEN,
     * else HUGGING_FACE_HUB_TOKEN (the names huggingface_hub reads, so one setting serves both).
     */
    public static Hub locate(String option, Map<String, String> env) {
        String url = DEFAULT_URL;
        String source = null;
        if (option != null) {
            url = option;
            source = "{hub}";
        } else if (nonBlank(env.get("TN_HUB_URL")) != null) {
            url = env.get("TN_HUB_URL");
            source = "TN_HUB_URL";
        }
        String token = nonBlank(env.get("HF_TOKEN"));
        if (token == null) token = nonBlank(env.get("HUGGING_FACE_HUB_TOKEN"));
        return new Hub(parse(url, source), token);
    }

    private static URI parse(String url, String source) {
        String why;
        try {
            URI uri = new URI(url.strip().replaceAll("/+$", ""));
            boolean http = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
            if (http && uri.getHost() != null && uri.getQuery() == null && uri.getFragment() == null) return uri;
            why = "expected http(s)://HOST[:PORT][/PATH]";
        } catch (URISyntaxException e) {
            why = e.getMessage();
        }
        throw new InvalidValueException((source != null ? source + ": " : "") + "invalid hub URL '{}': {}", url, why);
    }

    private static String nonBlank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    public URI base() {
        return base;
    }

    /** host -> token for {@link tn.net.Downloader}: the hub's host only. */
    public Map<String, String> bearerTokens() {
        return token == null ? Map.of() : Map.of(base.getHost(), token);
    }

    /** {base}/{owner}/{name}/resolve/{revision}/{path}, every segment URL-encoded (a revision may hold a '/'). */
    public URI fileUri(HubFile file) {
        StringBuilder url = new StringBuilder(base.toString());
        for (String s : file.repo().split("/")) url.append('/').append(encode(s));
        url.append("/resolve/").append(encode(file.revision()));
        for (String s : file.path().split("/")) url.append('/').append(encode(s));
        return URI.create(url.toString());
    }

    private static String encode(String segment) {
        // URLEncoder writes form encoding, where a space is '+'; in a path it must be %20
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
