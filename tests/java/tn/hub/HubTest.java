package tn.hub;

import tn.io.InvalidValueException;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where files come from and go to: hub URLs, tokens, the cache folder. */
class HubTest {
    @Test
    void fileUrlsEncodeEverySegment() {
        Hub hub = new Hub(URI.create("https://hub.example/mirror"), null);
        assertEquals("https://hub.example/mirror/o/r/resolve/main/Q8_0/a%20b%2Bc.gguf",
                hub.fileUri(new HubFile("o/r", "Q8_0/a b+c.gguf", "main")).toString());
        assertEquals("https://hub.example/mirror/o/r/resolve/refs%2Fpr%2F1/a.gguf",
                hub.fileUri(new HubFile("o/r", "a.gguf", "refs/pr/1")).toString());
    }

    @Test
    void theHubComesFromTheOptionThenTheEnvironment() {
        Map<String, String> env = Map.of("TN_HUB_URL", "http://mirror.example:8080/");
        assertEquals("https://huggingface.co", Hub.locate(null, Map.of()).base().toString());
        assertEquals("http://mirror.example:8080", Hub.locate(null, env).base().toString());
        assertEquals("http://127.0.0.1:9", Hub.locate("http://127.0.0.1:9", env).base().toString());
        InvalidValueException e = assertThrows(
                InvalidValueException.class, () -> Hub.locate(null, Map.of("TN_HUB_URL", "huggingface.co")));
        assertTrue(e.getMessage().startsWith("TN_HUB_URL: invalid hub URL 'huggingface.co'"), e.getMessage());
    }

    @Test
    void theTokenIsForTheHubsHostOnly() {
        assertEquals(Map.of(), Hub.locate(null, Map.of()).bearerTokens());
        assertEquals(Map.of("huggingface.co", "a"),
                Hub.locate(null, Map.of("HF_TOKEN", "a", "HUGGING_FACE_HUB_TOKEN", "b")).bearerTokens());
        assertEquals(Map.of("127.0.0.1", "b"),
                Hub.locate("http://127.0.0.1:9", Map.of("HF_TOKEN", " ", "HUGGING_FACE_HUB_TOKEN", "b"))
                        .bearerTokens());
    }

    @Test
    void theCacheComesFromTheOptionThenTheEnvironmentThenTnHome() {
        Map<String, String> env = Map.of("TN_MODELS", "/env/models");
        assertEquals(Path.of("/opt"), ModelCache.locate(Path.of("/opt"), env, "/home/tn").dir());
        assertEquals(Path.of("/env/models"), ModelCache.locate(null, env, "/home/tn").dir());
        assertEquals(Path.of("/home/tn/models"), ModelCache.locate(null, Map.of(), "/home/tn").dir());
        assertEquals(Path.of("./models"), ModelCache.locate(null, Map.of(), null).dir());
        assertEquals(Path.of("/c/o/r/Q8_0/m.gguf"),
                new ModelCache(Path.of("/c")).path(new HubFile("o/r", "Q8_0/m.gguf", "v1")));
    }

    @Test
    void namesThatCouldLeaveTheCacheAreRefused() {
        for (String file : new String[] {"../x.gguf", "a/../../x.gguf", "/x.gguf", "a//b.gguf", "a\\..\\x.gguf", ""}) {
            assertThrows(InvalidValueException.class, () -> new HubFile("o/r", file, "main"), file);
        }
        for (String repo : new String[] {"o", "o/r/x", "../r", "o/..", "o/r name", "/r"}) {
            assertThrows(InvalidValueException.class, () -> new HubFile(repo, "x.gguf", "main"), repo);
        }
    }
}
