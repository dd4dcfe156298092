package tn.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.TestModels;
import tn.cli.TnCli;
import tn.gguf.GgufTensor;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a quantized file holds, and the tensors llama.cpp did not store as asked. */
class QuantizationReportTest {
    private static GgufTensor t(String name, String type, long rowLength, long rows, long bytes) {
        return new GgufTensor(
                0, name, 0, type, rows > 1 ? new long[] {rowLength, rows} : new long[] {rowLength}, bytes);
    }

    @Test
    void aKQuantThatFellBackIsNamedTensorByTensor() {
        List<GgufTensor> tensors = List.of(t("blk.0.attn_norm.weight", "f32", 384, 1, 384 * 4),
                t("blk.0.attn_q.weight", "q5_0", 384, 384, 384 * 384 / 32 * 22),
                t("blk.0.ffn_down.weight", "q8_0", 384, 384, 384 * 384 / 32 * 34),
                t("blk.0.ffn_up.weight", "q4_K", 512, 384, 512 * 384 / 256 * 144));
        QuantizationReport r = QuantizationReport.of(tensors, FileType.Q4_K_M);
        assertEquals(Map.of("blk.0.attn_q.weight", "Q5_0", "blk.0.ffn_down.weight", "Q8_0"), r.fallbacks());
        long bytes = 384 * 4 + 384 * 384 / 32 * 22 + 384 * 384 / 32 * 34 + 512 * 384 / 256 * 144;
        long values = 384 + 2L * 384 * 384 + 512 * 384;
        assertEquals(8.0 * bytes / values, r.bitsPerWeight(), 1e-12);
        assertEquals("Q4_K_M->Q5_0+Q8_0", r.label());
        assertTrue(
                r.warning().contains("blk.0.attn_q.weight (Q5_0)") && r.warning().contains("1 as Q8_0"), r.warning());
        assertTrue(r.holds().startsWith("Q4_K 40%"), r.holds()); // 196,608 of 491,904 values
    }

    @Test
    void aQuantizationAsAskedHasNoWarning() {
        QuantizationReport r = QuantizationReport.of(
                List.of(t("a.weight", "q4_K", 256, 4, 576), t("output.weight", "q6_K", 256, 4, 840),
                        t("n.weight", "f32", 256, 1, 1024)),
                FileType.Q4_K_M);
        assertTrue(r.fallbacks().isEmpty());
        assertNull(r.warning());
        assertEquals("Q4_K_M", r.label());
        assertTrue(QuantizationReport.uses(FileType.Q8_0, "Q8_0") && !QuantizationReport.uses(FileType.Q8_0, "F16"));
    }

    @Test
    void quantizeSaysWhatItWroteAndWarnsOfTheFallback(@TempDir Path dir) {
        // the test model's rows are 64 values long: no K-quant block (256) fits
        Path out = dir.resolve("q.gguf");
        TnCli.Result r = TnCli.run("model", "quantize", TestModels.file(TestModels.SPM).toString(), out.toString(),
                                      "--type", "Q4_K_M", "--threads", "1")
                                 .expect(0);
        assertTrue(r.err().contains("tn: warning: llama.cpp did not store") && r.err().contains("blk.0."), r.err());
        assertTrue(r.out().contains("bits per weight") && r.out().contains("Q4_K_M->"), r.out());
        QuantizationReport held = QuantizationReport.of(out, FileType.Q4_K_M);
        assertTrue(!held.fallbacks().isEmpty());
    }
}
