package tn.llama;

import java.util.List;

import static tn.bridge.TnLibrary.INSTANCE;
import static tn.bridge.TnLibrary.check;

/**
 * For benchmarks: llama.cpp's own batched greedy decoding of the same prompts, with no tn
 * callback, in a context laid out as a {@link Decoder}'s (native tn_bench_greedy): the bare work
 * that batched generation is measured against.
 */
public final class BareGreedy {
    /** The tokens each prompt got, and the seconds the decoding took. */
    public record Result(List<int[]> tokens, double seconds) {}

    private BareGreedy() {}

    /** Greedy continuations of newTokens[s] tokens for each prompt s, all decoded together. */
    public static Result run(
            Model model, List<int[]> prompts, int[] newTokens, int sequenceContext, int threads, boolean kvF32) {
        int total = 0, generated = 0;
        for (int[] p : prompts) total += p.length;
        int[] tokens = new int[total];
        int[] lengths = new int[prompts.size()];
        for (int s = 0, at = 0; s < prompts.size(); s++) {
            System.arraycopy(prompts.get(s), 0, tokens, at, prompts.get(s).length);
            at += lengths[s] = prompts.get(s).length;
            generated += newTokens[s];
        }
        int[] out = new int[generated];
        double[] seconds = new double[1];
        check(INSTANCE.tn_bench_greedy(model.handle(), threads, sequenceContext, kvF32 ? 1 : 0, tokens, lengths,
                prompts.size(), newTokens, out, seconds));
        List<int[]> each = new java.util.ArrayList<>();
        for (int s = 0, at = 0; s < prompts.size(); at += newTokens[s], s++) {
            each.add(java.util.Arrays.copyOfRange(out, at, at + newTokens[s]));
        }
        return new Result(each, seconds[0]);
    }
}
