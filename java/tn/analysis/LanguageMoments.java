package tn.analysis;

import tn.method.Accumulator;

/**
 * The running moments (count, mean, M2; Welford's update, in double) of each neuron's activation
 * in each language, one sentence at a time: enough to split the sentences later into any target
 * language against the rest ({@link #specificity}) without keeping the activations. All of it
 * lives in the accumulator's doubles, so a checkpoint keeps it whole.
 *
 * <p>Layout: the sentence count per language, then per neuron and language its mean and M2.
 */
public final class LanguageMoments extends Accumulator {
    private final int neurons;
    private final int langs;

    public LanguageMoments(int neurons, int langs) {
        super(Math.toIntExact(langs + 2L * neurons * langs));
        if (langs < 1) throw new IllegalArgumentException("at least one language");
        this.neurons = neurons;
        this.langs = langs;
    }

    public int neurons() {
        return neurons;
    }

    public int langs() {
        return langs;
    }

    /** Adds one sentence of language lang: activation.get(j) is neuron j's. */
    public void add(int lang, Activations activation) {
        double n = ++sums[lang];
        for (int j = 0; j < neurons; j++) {
            int at = langs + 2 * (j * langs + lang);
            double x = activation.get(j);
            double delta = x - sums[at];
            sums[at] += delta / n;
            sums[at + 1] += delta * (x - sums[at]);
        }
        count++;
    }

    /** Adds the next shard's moments, language by language, by Chan's formula (moments do not simply add). */
    @Override
    public void merge(double[] next, long nextCount) {
        if (next.length != sums.length) throw new IllegalArgumentException("merged moments have the wrong size");
        for (int g = 0; g < langs; g++) {
            long mine = count(g), theirs = (long) next[g];
            for (int j = 0; j < neurons; j++) {
                int at = langs + 2 * (j * langs + g);
                Moments m =
                        new Moments(mine, sums[at], sums[at + 1]).merge(new Moments(theirs, next[at], next[at + 1]));
                sums[at] = m.mean();
                sums[at + 1] = m.m2();
            }
            sums[g] = mine + theirs;
        }
        count += nextCount;
    }

    /** One sentence's activation of each neuron. */
    @FunctionalInterface
    public interface Activations {
        double get(int neuron);
    }

    /** How many sentences of language lang were added. */
    public long count(int lang) {
        return (long) sums[lang];
    }

    /** Neuron j's moments in language lang. */
    public Moments moments(int neuron, int lang) {
        int at = langs + 2 * (neuron * langs + lang);
        return new Moments(count(lang), sums[at], sums[at + 1]);
    }

    /**
     * Neuron j's activations in the languages labelled 1 (labelOne[g] for language g: the target,
     * or its family) against those in every other language, each side merged.
     */
    public Specificity specificity(int neuron, boolean[] labelOne) {
        if (labelOne.length != langs)
            throw new IllegalArgumentException(labelOne.length + " labels for " + langs + " languages");
        Moments one = Moments.EMPTY, zero = Moments.EMPTY;
        for (int g = 0; g < langs; g++) {
            if (labelOne[g])
                one = one.merge(moments(neuron, g));
            else
                zero = zero.merge(moments(neuron, g));
        }
        return Specificity.of(one, zero);
    }

    /** How many sentences the languages labelled 1 hold. */
    public long count(boolean[] labelOne) {
        long n = 0;
        for (int g = 0; g < langs; g++)
            if (labelOne[g]) n += count(g);
        return n;
    }
}
