package tn.model;

import tn.io.AtomicFile;

import java.nio.file.Files;
import java.nio.file.Path;

import static tn.llama.TnLibrary.INSTANCE;
import static tn.llama.TnLibrary.check;

/** llama_model_quantize, writing its output atomically. */
public final class Quantizer {
    private Quantizer() {}

    /** Quantizes in to out (replaced if present) as type; threads 0 uses every core. */
    public static void quantize(Path in, Path out, FileType type, int threads) {
        if (type.needsImatrix) {
            throw new IllegalArgumentException(type + " needs an importance matrix, which tn does not compute; choose another type");
        }
        if (Files.isDirectory(out)) throw new IllegalArgumentException(out + " is a directory");
        try (AtomicFile target = AtomicFile.create(out)) {
            check(INSTANCE.tn_quantize(in.toString(), target.temporary().toString(), type.code, threads));
            target.commit();
        }
    }
}
