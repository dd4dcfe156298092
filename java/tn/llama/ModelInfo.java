package tn.llama;

import java.nio.file.Path;

/**
 * Facts about a loaded model. nFf is the width of the down projection's input (the number of
 * MLP neurons per layer); fileType is general.file_type, a llama_ftype code (-1 if absent).
 */
public record ModelInfo(Path path, String architecture, String description, int nLayer, int nEmbd, int nFf, int nHead,
        int nHeadKv, int nVocab, int nCtxTrain, int fileType, boolean addsBos, long nParams, long sizeBytes,
        String llamaCppVersion) {
    /** A one-line summary for logs and reports. */
    public String summary() {
        return String.format("%s: %s, %d layers, n_embd %d, n_ff %d, %d heads (%d KV), vocab %d", path.getFileName(),
                architecture, nLayer, nEmbd, nFf, nHead, nHeadKv, nVocab);
    }
}
