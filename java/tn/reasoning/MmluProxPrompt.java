package tn.reasoning;

import tn.io.InputException;

import tn.data.MmluProxFile;

import java.util.List;

/**
 * A test question's prompt as the original implementation's lm-evaluation-harness builds it for MMLU-ProX, as plain
 * text (no chat template): the subject's description, then the subject's first 5 validation
 * questions each with its worked answer, then the test question ending where the model's worked
 * answer begins. Each question lists its options A., B., ... skipping absent ones (a letter
 * stays with its option's index), and a worked answer's opening "A: ..." becomes the prompt's
 * "Answer: ..." wherever it occurs.
 */
public final class MmluProxPrompt {
    /** Worked examples before the question. */
    public static final int SHOTS = 5;
    private static final String LETTERS = "ABCDEFGHIJ";

    private MmluProxPrompt() {}

    public static String of(
            MmluProxLanguage lang, Subject subject, List<MmluProxFile.Row> shots, MmluProxFile.Row question) {
        StringBuilder p = new StringBuilder(lang.descriptionOf(subject));
        for (MmluProxFile.Row shot : shots) {
            if (shot.cotContent() == null)
                throw new InputException(shot.where() + ": a few-shot example without \"cot_content\"");
            example(lang, shot, p)
                    .append(shot.cotContent().replace(lang.cotPrefixInData(), lang.cotPrefix()))
                    .append("\n\n");
        }
        return example(lang, question, p).append(lang.cotPrefix()).toString();
    }

    /** The question and its options, up to where the worked answer goes. */
    private static StringBuilder example(MmluProxLanguage lang, MmluProxFile.Row row, StringBuilder p) {
        p.append(lang.question()).append('\n').append(row.question()).append('\n').append(lang.options()).append('\n');
        for (int i = 0; i < MmluProxFile.OPTIONS; i++) {
            String option = row.options().get(i);
            if (option != null) p.append(LETTERS.charAt(i)).append(". ").append(option).append('\n');
        }
        return p;
    }
}
