package tn.data.tatoeba;

import tn.io.Wording;
import tn.data.SentencePair;
import tn.data.Shuffle;
import tn.io.InputException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Chooses, with a seed, what the outputs hold: en/L2 pairs in which no English and no L2 text
 * occurs twice (so train and test share no sentence on either side, and shuffling the test
 * pairs' L2 sides can never hand a pair its own translation), then monolingual sentences in
 * neither. Every choice starts from lists in id order, so the result depends on the seed and on
 * the exports' contents, not on the order of their lines; each choice draws from its own split
 * of the seed, so that, say, --mono-n does not change which pairs are chosen.
 */
public final class PairSelection {
    /**
     * What was chosen, and the counts at each step for the manifest; the held-out lists and their
     * counts are empty when none were asked for.
     */
    public record Result(List<SentencePair> train, List<SentencePair> test, List<SentencePair> nonParallel,
            List<String> l2Mono, List<String> enMono, Map<String, Object> pairCounts, Map<String, Object> l2MonoCounts,
            Map<String, Object> enMonoCounts) {}

    private PairSelection() {}

    /**
     * n train pairs, testN test pairs (at least 2, to shuffle), and monoN held-out monolingual
     * sentences a language (none for 0). The random streams are split before any is used, so the
     * pairs are the same whether or not held-out sentences are drawn.
     */
    public static Result select(
            Sentences l2, Sentences en, ExportReader.Links links, int n, int testN, int monoN, long seed) {
        SplittableRandom root = new SplittableRandom(seed);
        SplittableRandom pairRandom = root.split();
        SplittableRandom derangeRandom = root.split();
        SplittableRandom l2Random = root.split();
        SplittableRandom enRandom = root.split();

        long bothKept = 0;
        Set<SentencePair> distinct = new LinkedHashSet<>();
        for (long link : links.pairs()) {
            String l2Text = l2.text(ExportReader.Links.l2Id(link));
            String enText = en.text(ExportReader.Links.enId(link));
            if (l2Text == null || enText == null) continue;
            bothKept++;
            distinct.add(new SentencePair(enText, l2Text));
        }
        List<SentencePair> candidates = new ArrayList<>(distinct);
        Shuffle.inPlace(candidates, pairRandom);
        // Greedy in random order: a random maximal set of pairs in which each text occurs once.
        Set<String> usedEn = new HashSet<>();
        Set<String> usedL2 = new HashSet<>();
        List<SentencePair> chosen = new ArrayList<>();
        for (SentencePair p : candidates) {
            if (usedEn.contains(p.en()) || usedL2.contains(p.l2())) continue;
            usedEn.add(p.en());
            usedL2.add(p.l2());
            chosen.add(p);
        }
        Map<String, Object> pairCounts = new LinkedHashMap<>();
        pairCounts.put("link_lines", links.lines());
        pairCounts.put("en_l2_links", links.pairs().length);
        pairCounts.put("both_sentences_kept", bothKept);
        pairCounts.put("distinct_text_pairs", distinct.size());
        pairCounts.put("one_to_one", chosen.size());
        long need = (long) n + testN;
        if (chosen.size() < need) {
            throw new InputException(Wording.of(
                    "too few pairs: {n} {} and {test_n} {} need {} en-{} pairs, and the exports "
                            + "give {} ({} link lines, {} links between {} and eng sentences, {} with both sentences kept by the "
                            + "filter, {} distinct, {} once each text); lower {n} or {test_n}, or widen {min_chars}/{max_chars}",
                    n, testN, need, l2.lang(), chosen.size(), links.lines(), links.pairs().length, l2.lang(), bothKept,
                    distinct.size(), chosen.size()));
        }
        List<SentencePair> train = List.copyOf(chosen.subList(0, n));
        List<SentencePair> test = List.copyOf(chosen.subList(n, n + testN));
        pairCounts.put("train", train.size());
        pairCounts.put("test", test.size());

        int[] partner = derangement(test.size(), derangeRandom);
        List<SentencePair> nonParallel = new ArrayList<>(test.size());
        for (int i = 0; i < test.size(); i++)
            nonParallel.add(new SentencePair(test.get(i).en(), test.get(partner[i]).l2()));
        pairCounts.put("nonparallel", nonParallel.size());

        Map<String, Object> l2Counts = new LinkedHashMap<>();
        Map<String, Object> enCounts = new LinkedHashMap<>();
        if (monoN == 0) {
            return new Result(
                    train, test, List.copyOf(nonParallel), List.of(), List.of(), pairCounts, l2Counts, enCounts);
        }
        Set<String> pairedEn = new HashSet<>();
        Set<String> pairedL2 = new HashSet<>();
        for (SentencePair p : chosen.subList(0, n + testN)) {
            pairedEn.add(p.en());
            pairedL2.add(p.l2());
        }
        List<String> l2Mono = monolingual(l2, pairedL2, monoN, l2Random, l2Counts);
        List<String> enMono = monolingual(en, pairedEn, monoN, enRandom, enCounts);
        return new Result(train, test, List.copyOf(nonParallel), l2Mono, enMono, pairCounts, l2Counts, enCounts);
    }

    /** monoN distinct kept sentences of one language that are in no chosen pair. */
    private static List<String> monolingual(
            Sentences s, Set<String> paired, int monoN, SplittableRandom random, Map<String, Object> counts) {
        Set<String> distinct = new LinkedHashSet<>();
        for (int k = 0; k < s.kept(); k++) distinct.add(s.keptText(k));
        List<String> candidates = new ArrayList<>(distinct.size());
        for (String text : distinct)
            if (!paired.contains(text)) candidates.add(text);
        counts.put("kept", s.kept());
        counts.put("distinct", distinct.size());
        counts.put("not_in_pairs", candidates.size());
        if (candidates.size() < monoN) {
            throw new InputException(Wording.of("too few {} sentences: {mono_n} {} needs {} outside the pairs, and the "
                            + "export gives {} ({} kept by the filter, {} distinct, {} in no chosen pair); lower {mono_n}, {n} or "
                            + "{test_n}, or widen {min_chars}/{max_chars}",
                    s.lang(), monoN, monoN, candidates.size(), s.kept(), distinct.size(), candidates.size()));
        }
        Shuffle.inPlace(candidates, random);
        counts.put("written", monoN);
        return List.copyOf(candidates.subList(0, monoN));
    }

    /** A uniformly random permutation of 0..size-1 without fixed points (size >= 2): shuffles until one is. */
    static int[] derangement(int size, SplittableRandom random) {
        if (size < 2) throw new IllegalArgumentException("a derangement needs at least 2 items, got " + size);
        while (true) {
            int[] p = Shuffle.order(size, random);
            boolean fixed = false;
            for (int i = 0; i < size && !fixed; i++) fixed = p[i] == i;
            if (!fixed) return p;
        }
    }
}
