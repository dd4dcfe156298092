package tn.hub;

import tn.io.InvalidValueException;
import org.junit.jupiter.api.Test;
import tn.llama.Architecture;
import tn.model.FileType;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CatalogTest {
    @Test
    void everyEntryOfTheBundledCatalogIsUsable() {
        Catalog catalog = Catalog.bundled();
        assertTrue(catalog.entries().size() >= 5);
        Set<String> names = new HashSet<>();
        for (Catalog.Entry e : catalog.entries()) {
            assertTrue(names.add(e.name().toLowerCase(Locale.ROOT)), "unique name " + e.name());
            assertEquals(e.repo(), HubFile.requireRepo(e.repo()));
            assertFalse(e.source().isBlank(), e.name());
            // the catalog lists only what works: every entry's architecture is supported in full
            assertTrue(Architecture.of(e.architecture()).fullySupported(), e.name() + ": " + e.architecture());
            assertFalse(e.files().isEmpty(), e.name());
            e.files().forEach((quant, file) -> {
                assertEquals(quant, FileType.parse(quant).name(), e.name());
                assertTrue(file.endsWith(".gguf"), e.name() + ": " + file);
                assertEquals(file, e.file(quant.toLowerCase(Locale.ROOT)));
            });
        }
        for (String paper : new String[] {"llama-3-8b", "mistral-7b-v0.3", "aya-expanse-8b"}) {
            assertTrue(catalog.find(paper).paper(), paper);
        }
        assertEquals("Qwen/Qwen2.5-0.5B-Instruct-GGUF", catalog.find("Qwen2.5-0.5B-Instruct").repo());
        assertEquals("command-r", catalog.find("aya-expanse-8b").architecture());
        assertTrue(catalog.find("aya-expanse-8b").files().containsKey("Q4_K_M"), "the paper's Aya Expanse 8B, Q4_K_M");
    }

    @Test
    void lookUpErrorsListWhatThereIs() {
        Catalog catalog = Catalog.bundled();
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> catalog.find("gpt-5"));
        assertTrue(e.getMessage().contains("llama-3-8b"), e.getMessage());
        e = assertThrows(InvalidValueException.class, () -> catalog.find("qwen2.5-0.5b-instruct").file("Q2_K"));
        assertTrue(e.getMessage().contains("Q4_K_M"), e.getMessage());
    }

    @Test
    void malformedCatalogsNameTheEntryAndField() {
        String ok =
                "{\"name\": \"a\", \"base\": \"o/a\", \"architecture\": \"llama\", \"repo\": \"o/a-GGUF\", \"source\": \"s\", \"files\": {\"Q8_0\": \"a.gguf\"}}";
        assertEquals(1, Catalog.parse("{\"models\": [" + ok + "]}", "t.json").entries().size());
        String[][] cases = {
                {"{\"models\": [" + ok + ", " + ok + "]}", "model 'a': the name appears twice"},
                {"{\"models\": [" + ok.replace("a.gguf", "a.bin") + "]}", "model 'a': files.Q8_0"},
                {"{\"models\": [" + ok.replace("Q8_0", "Q9_9") + "]}", "files.Q9_9: unknown file type"},
                {"{\"models\": [" + ok.replace("o/a-GGUF", "o-a") + "]}", "model 'a': repo"},
                {"{\"models\": [" + ok.replace("\"source\": \"s\", ", "") + "]}",
                        "\"source\" must be a non-empty string"},
                {"{\"models\": [" + ok.replace("\"architecture\": \"llama\", ", "") + "]}",
                        "model 'a': \"architecture\" must be a non-empty string"},
                {"{\"models\": [" + ok.replace("a.gguf", "../a.gguf") + "]}", "files.Q8_0: invalid file name"},
                {"{\"models\": {}}", "\"models\" array"},
                {"{\"models\": [", "not valid JSON"},
        };
        for (String[] c : cases) {
            IllegalStateException e =
                    assertThrows(IllegalStateException.class, () -> Catalog.parse(c[0], "t.json"), c[0]);
            assertTrue(e.getMessage().startsWith("t.json: ") && e.getMessage().contains(c[1]), e.getMessage());
        }
    }
}
