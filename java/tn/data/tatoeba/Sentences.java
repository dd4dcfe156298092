package tn.data.tatoeba;

import tn.io.InputException;

import java.util.Arrays;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One language's sentences from its export file: the id of every sentence (to recognise links
 * that reach it) and the normalized text of those the filter kept, ordered by id so that what
 * follows does not depend on the order of the file's lines.
 */
public final class Sentences {
    private final String lang;
    private final BitSet ids;
    private final int[] keptIds; // ascending
    private final String[] keptTexts; // keptTexts[k] is the text of keptIds[k]
    private final long lines;
    private final Map<SentenceFilter.Verdict, Long> verdicts;

    private Sentences(String lang, BitSet ids, int[] keptIds, String[] keptTexts, long lines,
            Map<SentenceFilter.Verdict, Long> verdicts) {
        this.lang = lang;
        this.ids = ids;
        this.keptIds = keptIds;
        this.keptTexts = keptTexts;
        this.lines = lines;
        this.verdicts = verdicts;
    }

    public String lang() {
        return lang;
    }

    /** Whether the file has a sentence with this id, kept or not. */
    public boolean contains(int id) {
        return ids.get(id);
    }

    /** The text of sentence id, or null where there is none or the filter dropped it. */
    public String text(int id) {
        int k = Arrays.binarySearch(keptIds, id);
        return k >= 0 ? keptTexts[k] : null;
    }

    public int kept() {
        return keptIds.length;
    }

    /** The k-th kept sentence's text, in id order. */
    public String keptText(int k) {
        return keptTexts[k];
    }

    /** Lines read, and how many the filter dropped for each reason and kept. */
    public Map<String, Object> counts() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sentences", lines);
        m.put("empty", verdicts.get(SentenceFilter.Verdict.EMPTY));
        m.put("control_characters", verdicts.get(SentenceFilter.Verdict.CONTROL));
        m.put("too_short", verdicts.get(SentenceFilter.Verdict.TOO_SHORT));
        m.put("too_long", verdicts.get(SentenceFilter.Verdict.TOO_LONG));
        m.put("kept", verdicts.get(SentenceFilter.Verdict.KEPT));
        return m;
    }

    /** Collects sentences in file order; a repeated id is an error at its line. */
    static final class Builder {
        private final String lang;
        private final SentenceFilter filter;
        private final BitSet ids = new BitSet();
        private final Map<SentenceFilter.Verdict, Long> verdicts = new EnumMap<>(SentenceFilter.Verdict.class);
        private int[] keptIds = new int[1024];
        private String[] keptTexts = new String[1024];
        private int kept;
        private long lines;

        Builder(String lang, SentenceFilter filter) {
            this.lang = lang;
            this.filter = filter;
            for (SentenceFilter.Verdict v : SentenceFilter.Verdict.values()) verdicts.put(v, 0L);
        }

        void add(int id, String rawText, LineReader line) {
            if (ids.get(id)) throw new InputException(line.at() + ": sentence id " + id + " appears a second time");
            ids.set(id);
            lines++;
            String text = SentenceFilter.normalize(rawText);
            SentenceFilter.Verdict v = filter.verdict(text);
            verdicts.merge(v, 1L, Long::sum);
            if (v != SentenceFilter.Verdict.KEPT) return;
            if (kept == keptIds.length) {
                keptIds = Arrays.copyOf(keptIds, kept * 2);
                keptTexts = Arrays.copyOf(keptTexts, kept * 2);
            }
            keptIds[kept] = id;
            keptTexts[kept++] = text;
        }

        Sentences build() {
            long[] order = new long[kept]; // id in the high half, position in the low: a primitive sort
            for (int k = 0; k < kept; k++) order[k] = (long) keptIds[k] << 32 | k;
            Arrays.sort(order);
            int[] sortedIds = new int[kept];
            String[] sortedTexts = new String[kept];
            for (int k = 0; k < kept; k++) {
                sortedIds[k] = (int) (order[k] >>> 32);
                sortedTexts[k] = keptTexts[(int) order[k]];
            }
            return new Sentences(lang, ids, sortedIds, sortedTexts, lines, verdicts);
        }
    }
}
