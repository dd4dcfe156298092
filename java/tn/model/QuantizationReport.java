package tn.model;

import tn.gguf.GgufFile;
import tn.gguf.GgufTensor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a GGUF file holds, read from its tensor index: the share of the weights stored in each
 * tensor type and the bits per weight of the tensor data; and, against the type it was quantized
 * to, the weight tensors llama.cpp stored in another type. llama.cpp falls back without failing
 * where a type cannot hold a tensor: a K-quant's rows must be multiples of 256 values, so Q4_K_M
 * of a model whose rows are 384 long writes Q5_0 and Q8_0, and the file is then a different
 * quantization from the one its name and general.file_type say.
 *
 * @param requested the type asked for (null: report the holdings only)
 * @param weights   the values in each tensor type, by type name, largest first
 * @param bitsPerWeight the tensor data's bits over its values (metadata excluded)
 * @param fallbacks the 2-D weight tensors stored in a type the requested one does not use, name to type
 */
public record QuantizationReport(
        FileType requested, Map<String, Long> weights, double bitsPerWeight, Map<String, String> fallbacks) {
    /** Tensor names listed in a warning before "and N more". */
    static final int NAMED = 6;

    public static QuantizationReport of(Path gguf, FileType requested) {
        try (GgufFile g = GgufFile.open(gguf)) {
            return of(g.tensors(), requested);
        }
    }

    static QuantizationReport of(List<GgufTensor> tensors, FileType requested) {
        Map<String, Long> byType = new TreeMap<>();
        long bytes = 0, values = 0;
        Map<String, String> fallbacks = new LinkedHashMap<>();
        for (GgufTensor t : tensors) {
            String type = t.typeName().toUpperCase(Locale.ROOT); // ggml's names are lower case: q4_K, f32
            byType.merge(type, t.elements(), Long::sum);
            bytes += t.bytes();
            values += t.elements();
            if (requested != null && t.rows() > 1 && !uses(requested, type)) fallbacks.put(t.name(), type);
        }
        Map<String, Long> sorted = new LinkedHashMap<>();
        byType.entrySet()
                .stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return new QuantizationReport(requested, sorted, values > 0 ? 8.0 * bytes / values : Double.NaN, fallbacks);
    }

    /**
     * Whether llama.cpp stores weight tensors of a file of type requested in tensor type: a
     * K-quant mix uses the K types (Q4_K_M: Q4_K, Q6_K), an IQ type those and the IQ types, a
     * plain type itself and, for the output and embedding, Q6_K or Q8_0; float files hold floats.
     */
    static boolean uses(FileType requested, String type) {
        String r = requested.name();
        if (requested == FileType.F32 || requested == FileType.F16 || requested == FileType.BF16) return true;
        boolean kType = type.matches("Q[2-8]_K");
        if (r.matches("Q[2-6]_K(_[SML])?")) return kType;
        if (r.startsWith("IQ") || r.startsWith("TQ")) return kType || type.startsWith("IQ") || type.startsWith("TQ");
        return type.equals(r) || kType || type.equals("Q8_0");
    }

    /** "Q5_0 71%, Q8_0 24%, F32 5%": the weights' shares by type. */
    public String holds() {
        long all = weights.values().stream().mapToLong(Long::longValue).sum();
        return weights.entrySet()
                .stream()
                .map(e -> {
                    double percent = 100.0 * e.getValue() / all;
                    return e.getKey() + " " + (percent < 0.5 ? "<1%" : String.format(Locale.ROOT, "%.0f%%", percent));
                })
                .collect(Collectors.joining(", "));
    }

    /** A short label of what the file holds: "Q4_K_M" as asked, or "Q4_K_M->Q5_0+Q8_0" where llama.cpp fell back. */
    public String label() {
        if (requested == null) return String.join("+", weights.keySet());
        if (fallbacks.isEmpty()) return requested.name();
        return requested.name() + "->"
                + fallbacks.values().stream().distinct().sorted().collect(Collectors.joining("+"));
    }

    /** One line: "holds Q4_K 80%, Q6_K 15%, F32 5%; 4.89 bits per weight". */
    public String summary() {
        return String.format(Locale.ROOT, "holds %s; %.2f bits per weight", holds(), bitsPerWeight);
    }

    /** The fallback, in words naming the tensors; null when there is none. */
    public String warning() {
        if (fallbacks.isEmpty()) return null;
        Map<String, List<String>> byType = new TreeMap<>();
        fallbacks.forEach((name, type) -> byType.computeIfAbsent(type, k -> new ArrayList<>()).add(name));
        List<String> named = new ArrayList<>();
        fallbacks.forEach((name, type) -> {
            if (named.size() < NAMED) named.add(name + " (" + type + ")");
        });
        String more = fallbacks.size() > NAMED ? " and " + (fallbacks.size() - NAMED) + " more" : "";
        return String.format(Locale.ROOT,
                "llama.cpp did not store %d weight tensors as %s asked (%s): %s%s. A K-quant needs rows of a "
                        + "multiple of 256 values; this file is %.2f bits per weight, so it is not the %s "
                        + "quantization its name says",
                fallbacks.size(), requested,
                byType.entrySet()
                        .stream()
                        .map(e -> e.getValue().size() + " as " + e.getKey())
                        .collect(Collectors.joining(", ")),
                String.join(", ", named), more, bitsPerWeight, requested);
    }

    /** For JSON summaries and sweep.json. */
    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (requested != null) m.put("requested", requested.name());
        m.put("label", label());
        m.put("weights_by_type", weights);
        m.put("bits_per_weight", bitsPerWeight);
        m.put("fallback_tensors", fallbacks);
        return m;
    }
}
