package tn.run;

import tn.io.InvalidValueException;

import tn.analysis.NeuronSet;
import tn.data.Dataset;
import tn.data.MmluProxFile;
import tn.generate.BatchedGenerator;
import tn.generate.GeneratedItems;
import tn.generate.Request;
import tn.generate.StopStrings;
import tn.llama.Deactivation;
import tn.llama.Positions;
import tn.llama.Session;
import tn.method.Accumulator;
import tn.plot.ReasoningPlot;
import tn.reasoning.MmluProxAccuracy;
import tn.reasoning.MmluProxGenerations;
import tn.reasoning.MmluProxLanguage;
import tn.reasoning.MmluProxPrompt;
import tn.reasoning.MmluProxPrompts;
import tn.reasoning.MmluProxScoring;
import tn.reasoning.MmluProxTask;
import tn.reasoning.Subject;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code tn reasoning}: MMLU-ProX under deactivation, the paper's reasoning experiment (docs/method.md,
 * reasoning), as the original implementation ran it with lm-evaluation-harness: each test question of --lang is
 * prompted with its subject's description and first five worked validation questions
 * ({@link MmluProxPrompt}), answered by greedy generation (neurons off at every prompt position,
 * not at generated tokens) up to --max-new-tokens or the task's stop strings, and scored by the
 * language's answer pattern and exact match. As the harness does, no question is left out: a
 * prompt longer than the budget (the model's max length, its trained context or --ctx, minus
 * --max-new-tokens) is cut from the left to its last budget tokens (--protocol tn skips it instead).
 * Questions are generated --parallel at a time, and
 * free slots take the next questions even past a checkpoint's batch, so that slots stay busy
 * while long answers finish; what is done is kept per question ({@link GeneratedItems}), so a
 * resumed run does not generate a finished question again. Writes DIR/prompts.jsonl,
 * DIR/generations.jsonl, DIR/accuracy.tsv, DIR/accuracy.json, DIR/deactivated.tsv and DIR/run.json.
 */
public final class ReasoningRun extends GeneratingRun {
    /**
     * @param fewshot      the validation split, whose first five questions of a subject are its worked examples
     * @param subjects     the subjects to run (all when empty)
     * @param limit        the first limit questions of each subject (0: all)
     * @param off          the neurons switched off at the prompt
     * @param seed         the baseline's seed, for run.json
     * @param maxNewTokens the longest answer generated
     * @param parallel     questions generated together
     * @param protocol     PAPER: a prompt beyond the budget (--ctx minus maxNewTokens, --ctx being the
     *                     harness's max_length) is cut from the left; TN: it is skipped
     */
    public record Params(Path fewshot, Set<Subject> subjects, int limit, NeuronSet.Choice off, long seed,
            int maxNewTokens, int parallel, Protocol protocol) {
        public Params {
            if (limit < 0) throw new InvalidValueException("{limit} must be >= 0 (0: every question), is {}", limit);
            if (maxNewTokens < 1)
                throw new InvalidValueException("{max_new_tokens} must be at least 1, is {}", maxNewTokens);
            subjects = Set.copyOf(subjects);
        }

        /** The paper's protocol. */
        public Params(Path fewshot, Set<Subject> subjects, int limit, NeuronSet.Choice off, long seed,
                int maxNewTokens, int parallel) {
            this(fewshot, subjects, limit, off, seed, maxNewTokens, parallel, Protocol.PAPER);
        }
    }

    private final Params params;
    private final MmluProxLanguage lang;

    private MmluProxFile.Rows fewshotRows;
    private MmluProxTask.Items task;
    private Items items;
    private NeuronSet off;
    private Deactivation deactivation;
    private StopStrings stop;
    private GeneratedItems results;
    private int submitted = -1; // the next item to give the generator, once process() has started
    private int generated; // questions this process generated
    private int foundDone; // questions of this run already done when this process started
    private MmluProxAccuracy accuracy;

    public ReasoningRun(RunContext context, Params params) {
        super(context, params.parallel());
        if (!(context.input() instanceof RunInput.Questions))
            throw new IllegalArgumentException("reasoning reads questions");
        this.lang = MmluProxLanguage.of(context.input().lang());
        if (params.maxNewTokens() >= settings.contextSize()) {
            throw new InvalidValueException("{max_new_tokens} {} leaves no room for the prompt in {ctx} {}",
                    params.maxNewTokens(), settings.contextSize());
        }
        this.params = params;
    }

    /** The most tokens a prompt keeps: the max length (--ctx) less the answer's tokens, as the harness's. */
    private int budget() {
        return settings.contextSize() - params.maxNewTokens();
    }

    @Override
    protected String command() {
        return "reasoning";
    }

    @Override
    protected List<Dataset> readData() {
        MmluProxFile.Rows test = MmluProxFile.read(context.input().files().get(0));
        fewshotRows = MmluProxFile.read(params.fewshot());
        task = MmluProxTask.items(lang, test, fewshotRows, params.subjects(), params.limit());
        if (task.otherCategories() > 0 && !settings.quiet()) {
            err.println("tn: warning: " + task.otherCategories() + " questions of " + test.file()
                    + " are of no MMLU-ProX subject (their category is another); left out");
        }
        List<String> prompts = new ArrayList<>();
        int[] lines = new int[task.items().size()];
        for (int k = 0; k < lines.length; k++) {
            prompts.add(task.items().get(k).prompt());
            lines[k] = task.items().get(k).row().line();
        }
        return List.of(MmluProxFile.prompts(test, prompts, lines));
    }

    @Override
    protected Items prepare(List<Dataset> files) {
        off = params.off().resolve(model.info().nLayer(), model.info().nFf());
        deactivation = off.deactivation(Positions.ALL_TOKENS);
        stop = new StopStrings(model, lang.until());
        if (params.protocol() == Protocol.TN) {
            items = questions(files, params.maxNewTokens());
        } else {
            int trained = model.info().nCtxTrain();
            if (trained > 0 && settings.contextSize() > trained) {
                throw new InvalidValueException("{ctx} {} is more than {} was trained for ({} tokens)",
                        settings.contextSize(), modelPath.getFileName(), trained);
            }
            items = leftTruncatedQuestions(files, budget());
            // each stream holds the longest prompt fed and its answer: no more memory than the questions need
            int longest = 0;
            for (int k = 0; k < items.size(); k++) longest = Math.max(longest, items.first(k, k + 1).get(0).length);
            streamContext(Math.min(settings.contextSize(), longest + params.maxNewTokens()));
            if (items.cutItems() > 0) {
                err.printf(Locale.ROOT,
                        "tn: note: %d of %d prompts are longer than the budget of %d tokens (%s) and are cut from the "
                                + "left to their last %d tokens, as lm-evaluation-harness does; prompts.jsonl says "
                                + "how many tokens each lost%n",
                        items.cutItems(), items.size(), budget(), budgetWords(), budget());
            }
        }
        results = new GeneratedItems(items.size(), params.maxNewTokens());
        return items;
    }

    /** Where the budget comes from, in words. */
    private String budgetWords() {
        int trained = model.info().nCtxTrain();
        return (trained == settings.contextSize() ? "the model's trained context " : "the max length ")
                + settings.contextSize() + " less " + params.maxNewTokens() + " new tokens";
    }

    @Override
    protected Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>(); // ordered: part of the checkpoint's fingerprint
        p.put("fewshot", params.fewshot().toAbsolutePath().toString());
        p.put("fewshot_sha256", fewshotRows.sha256());
        p.put("subjects",
                params.subjects().isEmpty() ? "all" : params.subjects().stream().sorted().map(Subject::id).toList());
        p.put("limit_per_subject", params.limit());
        p.put("shots", MmluProxPrompt.SHOTS);
        p.put("max_new_tokens", params.maxNewTokens());
        p.put("protocol", params.protocol().id());
        if (params.protocol() == Protocol.PAPER) {
            p.put("max_length", settings.contextSize());
            p.put("prompt_budget", budget());
            p.put("long_prompts", "cut from the left to the budget, as lm-evaluation-harness's generate_until");
            p.put("prompts_truncated", items.cutItems());
        } else {
            p.put("long_prompts", "skipped (longer than ctx minus max_new_tokens)");
        }
        // --parallel is left out: a question's tokens do not depend on it, so a run may resume with another
        p.put("decoding", "greedy; neurons off at every prompt position, not at generated tokens");
        p.put("until", lang.until());
        p.put("answer_regex", lang.answerRegex());
        p.put("scoring",
                "first match of answer_regex, else [invalid]; exact match ignoring case and ASCII punctuation; "
                        + "accuracy per subject and weighted by subject size");
        p.put("seed", params.seed());
        p.putAll(off.parameters());
        return p;
    }

    /**
     * Generates until every item of from..to is done; slots left free take the next items of the
     * run (of this shard), which later calls then find done.
     */
    @Override
    protected void process(Session none, Items items, int from, int to) {
        BatchedGenerator generator = generator();
        int end = settings.shard() == null ? items.size() : settings.shard().slice(items.size(), settings.batch()).to();
        if (submitted < from) {
            submitted = from;
            for (int k = from; k < end; k++) foundDone += results.done(k) ? 1 : 0;
        }
        int pending = from;
        while (true) {
            while (pending < to && results.done(pending)) pending++;
            if (pending == to) break;
            while (submitted < end && generator.running() + generator.waiting() < generator.parallel()) {
                if (!results.done(submitted)) {
                    generator.submit(submitted,
                            new Request(items.first(submitted, submitted + 1).get(0), params.maxNewTokens(), stop,
                                    deactivation));
                }
                submitted++;
            }
            if (generator.idle()) throw new IllegalStateException("question " + pending + " was never generated");
            for (BatchedGenerator.Finished f : forward(generator::advance)) {
                score(() -> results.put(f.id(), f.generation()));
                generated++;
            }
        }
        results.counted(to - from);
    }

    @Override
    protected Accumulator accumulator() {
        return results;
    }

    @Override
    protected List<Path> writeOutputs(Path dir) {
        List<MmluProxPrompts.Line> run = new ArrayList<>();
        List<MmluProxGenerations.Line> lines = new ArrayList<>();
        int invalid = 0;
        for (int k = 0; k < items.size(); k++) {
            MmluProxTask.Item item = task.items().get(items.source(k));
            GeneratedItems.Stored g = results.get(k);
            String text = MmluProxScoring.cut(model.detokenize(g.tokens(), true), lang.until());
            MmluProxGenerations.Line line = MmluProxGenerations.scored(
                    lang, item.row().questionId(), item.subject(), text, g.reason().id, item.row().answer());
            int cut = items.cut(k);
            run.add(new MmluProxPrompts.Line(item, items.first(k, k + 1).get(0).length + cut, cut));
            lines.add(line);
            if (line.extracted().equals(MmluProxScoring.INVALID)) invalid++;
        }
        accuracy = MmluProxGenerations.accuracy(lines);
        Path prompts = dir.resolve("prompts.jsonl");
        MmluProxPrompts.write(prompts, run);
        Path generations = dir.resolve("generations.jsonl");
        MmluProxGenerations.write(generations, lines);
        Path tsv = dir.resolve("accuracy.tsv");
        accuracy.writeTsv(tsv);
        Path json = dir.resolve("accuracy.json");
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("lang", lang.code());
        facts.put("questions", items.size());
        facts.put("invalid", invalid);
        facts.put("protocol", params.protocol().id());
        if (params.protocol() == Protocol.PAPER) {
            facts.put("prompt_budget", budget());
            facts.put("truncated", items.cutItems());
        } else {
            facts.put("skipped_too_long", items.skippedTooLong());
        }
        facts.put("neurons_off", off.neurons().size());
        facts.put("deactivated", off.isEmpty() ? "none" : off.origin());
        accuracy.writeJson(json, facts);
        Path offFile = dir.resolve("deactivated.tsv");
        off.writeTsv(offFile);
        Path png = dir.resolve("accuracy.png");
        ReasoningPlot.write(png, "MMLU-ProX " + lang.code() + ": accuracy per subject", List.of(series(accuracy, off)));
        if (!settings.quiet()) {
            MmluProxAccuracy.Line total = accuracy.total();
            out.printf(Locale.ROOT,
                    "reasoning %s: accuracy %.4f (%d of %d; %d without an answer%s) over %d subjects (%s)%n",
                    lang.code(), total.accuracy(), total.correct(), total.questions(), invalid,
                    items.cutItems() > 0 ? "; " + items.cutItems() + " prompts cut from the left" : "",
                    accuracy.lines().size() - 1,
                    off.isEmpty() ? "no neurons off" : off.neurons().size() + " neurons off");
        }
        return List.of(prompts, generations, tsv, json, offFile, png);
    }

    /** A run's bars, labelled by what it switched off: the label tn report's comparison uses too. */
    public static ReasoningPlot.Series series(MmluProxAccuracy accuracy, NeuronSet off) {
        Map<String, Double> bySubject = new LinkedHashMap<>();
        for (MmluProxAccuracy.Line l : accuracy.lines()) bySubject.put(l.subject(), l.accuracy());
        return new ReasoningPlot.Series(off.isEmpty() ? "plain" : off.origin(), bySubject);
    }

    /** Questions this process generated, and those it found done (by the interrupted run it resumed). */
    public int[] generatedAndFoundDone() {
        return new int[] {generated, foundDone};
    }

    /** The accuracy, once execute() has written the outputs. */
    public MmluProxAccuracy accuracy() {
        return accuracy;
    }
}
