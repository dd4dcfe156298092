package tn.llama;

import tn.bridge.TnLibrary;
/**
 * How a {@link Decoder} is laid out.
 *
 * @param threads            CPU threads; 0 uses every core
 * @param sequenceContext    tokens each sequence holds (its prompt and what is generated)
 * @param sequences          sequences decoded together, each in a KV stream of its own (1..MAX_SEQUENCES)
 * @param batchRows          rows per decode call: a prompt is decoded in pieces of this many tokens
 * @param kvF32              keep attention in F32, as {@link SessionOptions#kvF32()}
 */
public record GenerationOptions(int threads, int sequenceContext, int sequences, int batchRows, boolean kvF32) {
    public GenerationOptions {
        if (threads < 0) throw new IllegalArgumentException("threads must be >= 0 (0: all cores), is " + threads);
        if (sequenceContext < 2)
            throw new IllegalArgumentException("context per sequence must be at least 2, is " + sequenceContext);
        if (sequences < 1 || sequences > TnLibrary.MAX_SEQUENCES)
            throw new IllegalArgumentException("sequences must be 1.." + TnLibrary.MAX_SEQUENCES + ", is " + sequences);
        if (batchRows < sequences) {
            throw new IllegalArgumentException(
                    "a decode call of " + batchRows + " rows cannot step " + sequences + " sequences");
        }
    }
}
