package tn.run;

import tn.io.Tsv;
import tn.io.InvalidValueException;
import tn.analysis.NeuronSet;
import tn.data.Dataset;
import tn.data.QuestionFile;
import tn.io.AtomicFile;
import tn.io.Json;
import tn.generate.BatchedGenerator;
import tn.generate.Generation;
import tn.generate.Request;
import tn.generate.StopRule;
import tn.llama.Deactivation;
import tn.llama.Positions;
import tn.llama.Session;
import tn.method.Accumulator;
import tn.qa.AnswerMode;
import tn.qa.MkqaF1;
import tn.qa.MkqaNormalizer;
import tn.qa.PromptTemplate;
import tn.qa.QaAnswers;
import tn.qa.QaPrompts;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code tn qa}: question answering with neurons switched off (docs/method.md, question
 * answering). Each question, put in the prompt template, is answered by greedy generation with the
 * neurons off at every prompt position (or at its last only, the original's prompt_last) and on at
 * the generated tokens, as the paper did; the answer (all of the continuation, as the original
 * scores it, or its first line, tn's protocol) is scored by MKQA's token F1 and exact match against
 * the gold answers. MKQA's long_answer and unanswerable questions are left out unless kept, as the
 * original does. Questions are generated --parallel at a time ({@link BatchedGenerator}), each as
 * it would be alone. Writes DIR/prompts.jsonl, DIR/answers.tsv, DIR/qa.json, DIR/deactivated.tsv
 * and DIR/run.json.
 */
public final class QaRun extends GeneratingRun {
    /** The paper's answer length (its qa.py takes 5 or 10; the paper reports 10) and tn's. */
    public static final int PAPER_MAX_NEW_TOKENS = 10, TN_MAX_NEW_TOKENS = 20;

    private final NeuronSet.Choice choice;
    private final long seed;
    private final PromptTemplate template;
    private final int maxNewTokens;

    private QuestionFile.Questions questions;
    private Items items;
    private NeuronSet off;
    private Deactivation deactivation;
    private QaAnswers answers;
    private double meanF1 = Double.NaN;

    /**
     * @param off               the neurons switched off at the prompt
     * @param seed              the baseline's seed, for run.json
     * @param template          the prompt around each question
     * @param maxNewTokens      the longest answer generated
     * @param offAt             where in the prompt: every position (ALL_TOKENS) or its last (LAST_TOKEN)
     * @param answer            what of the continuation is scored
     * @param keepUnanswerable  keep MKQA's long_answer and unanswerable questions, which the original leaves out
     * @param parallel          questions generated together
     * @param protocol          whose defaults the settings above started from (for run.json)
     */
    public record Params(NeuronSet.Choice off, long seed, PromptTemplate template, int maxNewTokens, Positions offAt,
            AnswerMode answer, boolean keepUnanswerable, int parallel, Protocol protocol) {
        public Params {
            if (maxNewTokens < 1)
                throw new InvalidValueException("{max_new_tokens} must be at least 1, is {}", maxNewTokens);
            if (offAt != Positions.ALL_TOKENS && offAt != Positions.LAST_TOKEN) {
                throw new IllegalArgumentException(
                        "neurons go off at every prompt position or at its last, not " + offAt);
            }
        }

        /**
         * tn's protocol with this template: neurons off at every prompt position, the first line
         * scored, MKQA's long_answer and unanswerable questions left out.
         */
        public Params(NeuronSet.Choice off, long seed, PromptTemplate template, int maxNewTokens, int parallel) {
            this(off, seed, template, maxNewTokens, Positions.ALL_TOKENS, AnswerMode.FIRST_LINE, false, parallel,
                    Protocol.TN);
        }

        /**
         * The paper's protocol for lang: the original's prompt, 10 new tokens, the whole
         * continuation scored, neurons off at every prompt position, MKQA's long_answer and
         * unanswerable questions left out.
         */
        public static Params paper(NeuronSet.Choice off, long seed, String lang, int parallel) {
            return new Params(off, seed, PromptTemplate.original(lang), PAPER_MAX_NEW_TOKENS, Positions.ALL_TOKENS,
                    AnswerMode.ALL, false, parallel, Protocol.PAPER);
        }
    }

    private final String lang;
    private final Params params;

    /** Answers the questions of context's input. */
    public QaRun(RunContext context, Params params) {
        super(context, params.parallel());
        if (!(context.input() instanceof RunInput.Questions)) throw new IllegalArgumentException("qa reads questions");
        if (params.maxNewTokens() >= settings.contextSize()) {
            throw new InvalidValueException("{max_new_tokens} {} leaves no room for the prompt in {ctx} {}",
                    params.maxNewTokens(), settings.contextSize());
        }
        this.lang = context.input().lang();
        this.choice = params.off();
        this.seed = params.seed();
        this.template = params.template();
        this.maxNewTokens = params.maxNewTokens();
        this.params = params;
    }

    @Override
    protected String command() {
        return "qa";
    }

    @Override
    protected List<Dataset> readData() {
        questions = QuestionFile.read(context.input().files().get(0), lang, template, !params.keepUnanswerable());
        if (!MkqaNormalizer.isKnown(lang) && !settings.quiet()) {
            err.println("tn: warning: MKQA has no rules for '" + lang + "': answers are lower-cased, stripped of "
                    + "punctuation and split at spaces, with no articles removed");
        }
        return List.of(questions.prompts());
    }

    @Override
    protected Items prepare(List<Dataset> files) {
        off = choice.resolve(model.info().nLayer(), model.info().nFf());
        deactivation = off.deactivation(params.offAt());
        items = questions(files, maxNewTokens);
        answers = new QaAnswers(items.size(), maxNewTokens);
        return items;
    }

    @Override
    protected Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>(); // ordered: part of the checkpoint's fingerprint
        p.put("protocol", params.protocol().id());
        p.put("template", template.text());
        p.put("max_new_tokens", maxNewTokens);
        // --parallel is left out: a question's tokens do not depend on it, so a run may resume with another
        p.put("decoding",
                "greedy; neurons off at "
                        + (params.offAt() == Positions.LAST_TOKEN ? "the prompt's last position"
                                                                  : "every prompt position")
                        + ", not at generated tokens");
        p.put("answer",
                params.answer() == AnswerMode.ALL ? "the whole continuation" : "the first non-empty line generated");
        p.put("mkqa_long_answer_and_unanswerable", params.keepUnanswerable() ? "kept" : "left out");
        p.put("scoring", "MKQA token F1 and exact match, max over gold answers");
        p.put("seed", seed);
        p.putAll(off.parameters());
        return p;
    }

    @Override
    protected void process(Session none, Items items, int from, int to) {
        BatchedGenerator generator = generator();
        for (int k = from; k < to; k++) {
            generator.submit(k, new Request(items.first(k, k + 1).get(0), maxNewTokens, StopRule.NONE, deactivation));
        }
        while (!generator.idle()) {
            for (BatchedGenerator.Finished f : forward(generator::advance)) {
                Generation g = f.generation();
                List<String> gold = question(f.id()).answers();
                score(() -> {
                    String answer = params.answer().of(model.detokenize(g.tokens(), true));
                    answers.put(f.id(), g, MkqaF1.score(answer, gold, lang), MkqaF1.exactMatch(answer, gold, lang));
                });
            }
        }
    }

    private QuestionFile.Question question(int item) {
        return questions.questions().get(items.source(item));
    }

    @Override
    protected Accumulator accumulator() {
        return answers;
    }

    @Override
    protected List<Path> writeOutputs(Path dir) {
        meanF1 = answers.meanF1();
        StringBuilder tsv = new StringBuilder("line\tquestion\tgold_answers\tprediction\tf1\texact_match\tgenerated\t"
                + "stop\tgenerated_tokens\tmin_top2_margin\n");
        for (int k = 0; k < items.size(); k++) {
            QuestionFile.Question q = question(k);
            String generated = model.detokenize(answers.tokens(k), true);
            tsv.append(Tsv.row(q.line(), cell(q.question()), cell(Json.compact(q.answers())),
                    cell(params.answer().of(generated)), String.format(Locale.ROOT, "%.6f", answers.f1(k)),
                    answers.exact(k) ? 1 : 0, cell(generated),
                    answers.endedByModel(k) ? "end_of_generation" : "max_new_tokens", answers.tokens(k).length,
                    String.format(Locale.ROOT, "%.6g", answers.minMargin(k))));
        }
        Path answersFile = dir.resolve("answers.tsv");
        Path promptsFile = dir.resolve("prompts.jsonl");
        List<QaPrompts.Line> prompts = new ArrayList<>();
        for (int k = 0; k < items.size(); k++) {
            String prompt = questions.prompts().monolingual().get(items.source(k));
            prompts.add(new QaPrompts.Line(question(k), prompt, items.first(k, k + 1).get(0).length));
        }
        QaPrompts.write(promptsFile, prompts);
        AtomicFile.writeString(answersFile, tsv.toString());
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("lang", lang);
        summary.put("protocol", params.protocol().id());
        summary.put("questions", items.size());
        summary.put("left_out_long_answer_or_unanswerable", questions.leftOut());
        summary.put("mean_f1", meanF1);
        summary.put("exact_match", answers.exactMatch());
        summary.put("neurons_off", off.neurons().size());
        summary.put("deactivated", off.isEmpty() ? "none" : off.origin());
        Path summaryFile = dir.resolve("qa.json");
        Json.write(summaryFile, summary);
        Path offFile = dir.resolve("deactivated.tsv");
        off.writeTsv(offFile);
        if (!settings.quiet()) {
            out.printf(Locale.ROOT, "qa %s: mean F1 %.4f, exact match %.4f over %d questions (%s)%n", lang, meanF1,
                    answers.exactMatch(), items.size(),
                    off.isEmpty() ? "no neurons off" : off.neurons().size() + " neurons off");
        }
        return List.of(promptsFile, answersFile, summaryFile, offFile);
    }

    /** A TSV cell: tabs, line breaks and backslashes escaped, so a row stays one line. */
    private static String cell(String s) {
        return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }

    /** The mean F1, once execute() has run. */
    public double meanF1() {
        return meanF1;
    }
}
