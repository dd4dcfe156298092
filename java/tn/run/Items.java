package tn.run;

import tn.io.Wording;
import tn.data.Dataset;
import tn.data.SentencePair;
import tn.data.Shuffle;
import tn.io.InputException;
import tn.llama.Model;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A dataset's sentences as token ids, ready to run: monolingual sentences, or pairs (English
 * first, L2 second); monolingual sentences may come from several files, each item knowing its
 * file's index (its group: a language, for the analyses across languages). Sentences longer than the context are left out and counted, with a warning
 * (or, strict, an error naming the file and line).
 */
final class Items {
    private static final int WARNINGS_SHOWN = 5;

    private final List<int[]> first = new ArrayList<>();
    private final List<int[]> second; // null for monolingual sentences
    private final List<Integer> groups = new ArrayList<>();
    private final List<Integer> sources = new ArrayList<>(); // per item, its index in its file's dataset
    private final List<Integer> cut = new ArrayList<>(); // per item, the tokens cut from its left (0: none)
    private int skippedTooLong;
    private long tokens;

    private Items(boolean pairs) {
        this.second = pairs ? new ArrayList<>() : null;
    }

    static Items monolingual(Model model, Dataset data, int contextSize, boolean strict, PrintWriter warn) {
        return monolingual(model, List.of(data), contextSize, strict, warn);
    }

    /** The sentences of several files, file after file; every file must keep at least one. */
    static Items monolingual(Model model, List<Dataset> files, int contextSize, boolean strict, PrintWriter warn) {
        Items items = new Items(false);
        Function<String, int[]> tokenize = tokenizer(model);
        for (int g = 0; g < files.size(); g++) {
            Dataset data = files.get(g);
            int kept = items.size(), skipped = items.skippedTooLong;
            List<String> sentences = data.monolingual();
            for (int k = 0; k < sentences.size(); k++) {
                int[] t = tokenize.apply(sentences.get(k));
                if (items.fits(t, data, k, contextSize, strict, warn)) items.add(t, null, g, k, 0);
            }
            items.finish(data, items.size() - kept, items.skippedTooLong - skipped, warn);
        }
        return items;
    }

    /**
     * Every sentence of the files, none left out: one longer than budget tokens keeps its last
     * budget tokens (its first ones, BOS included, are cut), as lm-evaluation-harness's
     * generate_until cuts a prompt ({@code encoding[-budget:]}); {@link #cut} says how many.
     */
    static Items leftTruncated(Model model, List<Dataset> files, int budget) {
        if (budget < 1) throw new IllegalArgumentException("a budget of " + budget + " tokens");
        Items items = new Items(false);
        for (int g = 0; g < files.size(); g++) {
            List<String> sentences = files.get(g).monolingual();
            for (int k = 0; k < sentences.size(); k++) {
                int[] t = model.tokenize(sentences.get(k));
                int over = Math.max(0, t.length - budget);
                items.add(over == 0 ? t : Arrays.copyOfRange(t, over, t.length), null, g, k, over);
            }
        }
        return items;
    }

    static Items pairs(Model model, Dataset data, int contextSize, boolean strict, PrintWriter warn) {
        Items items = new Items(true);
        List<SentencePair> pairs = data.parallel();
        Function<String, int[]> tokenize = tokenizer(model);
        for (int k = 0; k < pairs.size(); k++) {
            int[] en = tokenize.apply(pairs.get(k).en());
            int[] l2 = tokenize.apply(pairs.get(k).l2());
            if (items.fits(en, data, k, contextSize, strict, warn)
                    && items.fits(l2, data, k, contextSize, strict, warn)) {
                items.add(en, l2, 0, k, 0);
            }
        }
        items.finish(data, items.size(), items.skippedTooLong, warn);
        return items;
    }

    /**
     * The model's tokenizer, once per string object: a pickle's memo lets one string stand for many
     * items, and each is the same tokens (the arrays are kept by the items anyway).
     */
    private static Function<String, int[]> tokenizer(Model model) {
        Map<String, int[]> done = new IdentityHashMap<>();
        return s -> done.computeIfAbsent(s, model::tokenize);
    }

    private boolean fits(int[] t, Dataset data, int k, int contextSize, boolean strict, PrintWriter warn) {
        if (t.length <= contextSize) return true;
        String what = data.where(k) + ": " + t.length + " tokens, longer than the context of " + contextSize;
        if (strict) throw new InputException(Wording.of("{} ({strict}); raise {ctx} or remove the sentence", what));
        if (skippedTooLong++ < WARNINGS_SHOWN) warn.println("tn: warning: " + what + "; skipped");
        return false;
    }

    private void add(int[] a, int[] b, int group, int source, int cutTokens) {
        first.add(a);
        cut.add(cutTokens);
        groups.add(group);
        sources.add(source);
        tokens += a.length;
        if (b != null) {
            second.add(b);
            tokens += b.length;
        }
    }

    /** Closes a file that gave kept items and had skipped ones too long. */
    private void finish(Dataset data, int kept, int skipped, PrintWriter warn) {
        if (skipped > WARNINGS_SHOWN) {
            warn.println(
                    "tn: warning: " + skipped + " items of " + data.path() + " were longer than the context; skipped");
        }
        if (kept == 0)
            throw new InputException(Wording.of("{}: no sentence fits the context; raise {ctx}", data.path()));
    }

    int size() {
        return first.size();
    }

    /** These items, then those of other (of the same shape; its files numbered after these). */
    Items concat(Items other) {
        if (pairs() != other.pairs()) throw new IllegalArgumentException("pairs and sentences do not mix");
        Items out = new Items(pairs());
        int files = groups.stream().mapToInt(Integer::intValue).max().orElse(-1) + 1; // other's files come after these
        for (Items part : List.of(this, other)) {
            int offset = part == this ? 0 : files;
            for (int k = 0; k < part.size(); k++) {
                out.add(part.first.get(k), part.second == null ? null : part.second.get(k), offset + part.groups.get(k),
                        part.sources.get(k), part.cut.get(k));
            }
        }
        out.skippedTooLong = skippedTooLong + other.skippedTooLong;
        return out;
    }

    /** The same items in a seeded random order ({@link Shuffle}). */
    Items shuffled(long seed) {
        Items out = new Items(pairs());
        for (int k : Shuffle.order(size(), seed)) {
            out.add(first.get(k), second == null ? null : second.get(k), groups.get(k), sources.get(k), cut.get(k));
        }
        out.skippedTooLong = skippedTooLong;
        return out;
    }

    boolean pairs() {
        return second != null;
    }

    /** Monolingual sentences, or the English side of pairs, from..to. */
    List<int[]> first(int from, int to) {
        return first.subList(from, to);
    }

    /** The L2 side of pairs, from..to. */
    List<int[]> second(int from, int to) {
        return second.subList(from, to);
    }

    /** The index of the file item k came from. */
    int group(int k) {
        return groups.get(k);
    }

    /** Item k's index in its file's dataset (items too long for the context are left out, so they differ). */
    int source(int k) {
        return sources.get(k);
    }

    /** The tokens cut from the left of item k to fit its budget ({@link #leftTruncated}); 0 for most. */
    int cut(int k) {
        return cut.get(k);
    }

    /** How many items were cut from the left. */
    int cutItems() {
        return (int) cut.stream().filter(c -> c > 0).count();
    }

    /** How many items came from file g. */
    int groupSize(int g) {
        return (int) groups.stream().filter(x -> x == g).count();
    }

    /**
     * Where the item holding these tokens (the very array, either side of a pair) came from:
     * "FILE line N"; null if none of these items holds them.
     */
    String where(int[] tokens, List<Dataset> files) {
        for (int k = 0; k < size(); k++) {
            if (first.get(k) == tokens || second != null && second.get(k) == tokens) {
                return files.get(groups.get(k)).where(sources.get(k));
            }
        }
        return null;
    }

    long tokens(int from, int to) {
        long n = 0;
        for (int k = from; k < to; k++) n += first.get(k).length + (second == null ? 0 : second.get(k).length);
        return n;
    }

    long tokens() {
        return tokens;
    }

    int skippedTooLong() {
        return skippedTooLong;
    }
}
