package tn.model;

import tn.io.InvalidValueException;
import tn.gguf.GgufFile;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * llama.cpp's file types (llama_ftype): what general.file_type records and what
 * llama_model_quantize produces. Codes follow include/llama.h of the pinned llama.cpp.
 */
public enum FileType {
    F32(0),
    F16(1),
    Q4_0(2),
    Q4_1(3),
    Q8_0(7),
    Q5_0(8),
    Q5_1(9),
    Q2_K(10),
    Q3_K_S(11),
    Q3_K_M(12),
    Q3_K_L(13),
    Q4_K_S(14),
    Q4_K_M(15),
    Q5_K_S(16),
    Q5_K_M(17),
    Q6_K(18),
    IQ2_XXS(19, true),
    IQ2_XS(20, true),
    Q2_K_S(21, true),
    IQ3_XS(22, true),
    IQ3_XXS(23, true),
    IQ1_S(24, true),
    IQ4_NL(25),
    IQ3_S(26),
    IQ3_M(27),
    IQ2_S(28, true),
    IQ2_M(29, true),
    IQ4_XS(30),
    IQ1_M(31, true),
    BF16(32),
    TQ1_0(36),
    TQ2_0(37);

    /** The llama_ftype code. */
    public final int code;
    /** llama.cpp refuses to make these without an importance matrix. */
    public final boolean needsImatrix;

    FileType(int code) {
        this(code, false);
    }

    FileType(int code, boolean needsImatrix) {
        this.code = code;
        this.needsImatrix = needsImatrix;
    }

    /** The type named (case-insensitive), or an error listing the known names. */
    public static FileType parse(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT);
        for (FileType t : values()) {
            if (t.name().equals(n)) return t;
        }
        throw new InvalidValueException("unknown file type '{}'; known: {}", name,
                Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")));
    }

    /** The name of the file type a GGUF records (general.file_type), if it records one. */
    public static Optional<String> recordedIn(GgufFile gguf) {
        OptionalLong code = gguf.integer("general.file_type");
        return code.isPresent() ? Optional.of(nameOf((int) code.getAsLong())) : Optional.empty();
    }

    /** The name of a general.file_type code, or "unknown (N)". */
    public static String nameOf(int code) {
        for (FileType t : values()) {
            if (t.code == code) return t.name();
        }
        return code < 0 ? "unknown" : "unknown (" + code + ")";
    }
}
