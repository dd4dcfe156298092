package tn.cli;

import tn.io.InvalidValueException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tn.io.InputException;
import tn.model.ModelSummary;
import tn.reasoning.MmluProxAccuracy;
import tn.reasoning.MmluProxGenerations;
import tn.reasoning.MmluProxLanguage;
import tn.reasoning.MmluProxScoring;
import tn.reasoning.Subject;
import tn.run.Protocol;
import tn.run.ReasoningRun;
import tn.run.Run;
import tn.run.RunContext;
import tn.run.RunInput;
import tn.record.RunJson;
import tn.run.RunSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

@Command(name = "reasoning", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Reasoning with neurons switched off: the paper's MMLU-ProX experiment.", "",
                "Each test question of --lang (MMLU-ProX's 14 subjects, or --subjects) is prompted as the original "
                        + "implementation's lm-evaluation-harness prompts it, as plain text: the subject's description, the subject's first "
                        + "5 questions of --fewshot with their worked answers, then the question, ending where the model's "
                        + "worked answer begins. Greedy generation runs to --max-new-tokens, the model's end of generation, "
                        + "or the task's stop strings (the text is cut before them). With --deactivate the top --top-n "
                        + "neurons of a ranking are switched off at every prompt position and left on at generated tokens; "
                        + "--baseline switches off a random set of the same size instead, the paper's control.",
                "",
                "The answer is the first match of the language's pattern (en: 'answer is \\(?([ABCDEFGHIJ])\\)?'), else "
                        + "[invalid]; it is right when it equals the gold letter ignoring case and ASCII punctuation. "
                        + "Accuracy is per subject and, in all, the subjects' accuracies weighted by their sizes.",
                "",
                "As the harness does (the paper's protocol, the default), every question is answered: a prompt longer "
                        + "than the budget, the model's max length (its trained context, GGUF's context_length, the "
                        + "harness's max_position_embeddings) less --max-new-tokens, is cut from the left to its last "
                        + "budget tokens (its BOS goes too), and the run says how many were. --ctx sets the max length "
                        + "instead (as the harness's max_length), at most the trained context; each KV stream holds the "
                        + "longest prompt fed and its answer, not more. --protocol tn skips such a prompt instead, with a "
                        + "warning, and leaves it out of the accuracy (no answer from a prompt whose beginning is "
                        + "lost); its --ctx defaults to 4096 + --max-new-tokens, at most the trained context.",
                "",
                "Writes DIR/prompts.jsonl (question_id, subject, prompt, prompt_tokens, truncated_tokens: the tokens "
                        + "cut from its left, 0 when it fits), DIR/generations.jsonl (question_id, subject, "
                        + "generation, stop_reason, extracted, gold, correct), DIR/accuracy.tsv and DIR/accuracy.json "
                        + "(per subject and total; protocol, prompt_budget and truncated, the prompts cut), "
                        + "DIR/deactivated.tsv and DIR/run.json.",
                "",
                "--parallel questions are generated together, each in its own KV cache stream; a question gets the "
                        + "same tokens whatever --parallel is, and slots left free take the next questions. --batch is how many "
                        + "questions go between checkpoints; --resume never generates a finished question again.",
                "",
                "tn reasoning --rescore DIR recomputes every answer and the accuracies from DIR/generations.jsonl "
                        + "(its generation and gold fields), without a model, and writes DIR/accuracy.tsv and "
                        + "DIR/accuracy.json; the language is --lang, or DIR/run.json's.",
                ""},
        footer = {"",
                "Input: MMLU-ProX's release files as published, one language's test and validation parquet files, "
                        + "or JSONL with the same fields (question_id, question, option_0..option_9, answer, answer_index, "
                        + "cot_content, category). Languages: "
                        + "af ar bn cs de en es fr hi hu id it ja ko mr ne pt ru sr sw te th "
                        + "uk ur vi wo yo zh zu.",
                "", "Examples:",
                "  tn reasoning --model M.gguf --test ja/test.parquet --fewshot ja/validation.parquet --lang ja "
                        + "--deactivate out/ja/type1/ranking.tsv --top-n 1000 --out out/ja/reasoning-type1-off",
                "  tn reasoning --rescore out/ja/reasoning-type1-off"})
final class ReasoningCommand extends RunCommand {
    /** The context a question gets besides its answer when --ctx is not given. */
    static final int PROMPT_TOKENS = 4096;

    @Option(names = "--test", required = true, paramLabel = "FILE",
            description = "The questions: MMLU-ProX's test split of --lang.")
    Path test;

    @Option(names = "--fewshot", required = true, paramLabel = "FILE",
            description = "The worked examples: MMLU-ProX's validation split of --lang.")
    Path fewshot;

    @Option(names = "--lang", required = true, paramLabel = "XX",
            description = "The language: its prompt strings, answer pattern and stop strings.")
    String lang;

    @Option(names = "--subjects", split = ",", paramLabel = "S,...",
            description =
                    "Only these subjects (biology, business, chemistry, computer_science, economics, engineering, "
                    + "health, history, law, math, other, philosophy, physics, psychology); default all.")
    List<String> subjects;

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N",
            description = "Only the first N questions of each subject (0, the default: all), as the harness's --limit.")
    int limit;

    @Option(names = "--max-new-tokens", defaultValue = "2048", paramLabel = "N",
            description = "The most tokens generated per answer (default: ${DEFAULT-VALUE}, the task's max_gen_toks); "
                    + "also what the prompt budget leaves room for.")
    int maxNewTokens;

    @Option(names = "--protocol", defaultValue = "paper", paramLabel = "paper|tn",
            description = "A prompt longer than the budget: cut from the left, as the harness does (paper), or skipped "
                    + "and left out of the accuracy (tn); see above (default: ${DEFAULT-VALUE}).")
    String protocol;

    @Option(names = "--parallel", defaultValue = "4", paramLabel = "P",
            description = "Questions generated together (default: ${DEFAULT-VALUE}); the answers do not depend on it. "
                    + "Each holds a KV cache of --ctx tokens.")
    int parallel;

    @Mixin
    DeactivationOptions off;

    @Option(names = "--rescore", help = true, paramLabel = "DIR",
            description = "Recompute the answers and accuracies of a finished run's DIR/generations.jsonl (no model).")
    Path rescore;

    @Override
    DeactivationOptions deactivation() {
        return off;
    }

    @Override
    RunInput input() {
        return new RunInput.Questions(test, lang);
    }

    @Override
    Run newRun(RunContext context) {
        Protocol p = Protocol.parse(protocol);
        RunSettings s = context.settings();
        if (!spec.commandLine().getParseResult().hasMatchedOption("--ctx")) {
            s = new RunSettings(s.threads(), s.batch(), defaultContext(p, context.model()), s.gpuLayers(),
                    s.lastLayer(), s.resume(), s.quiet(), s.strict(), s.checkpointSeconds(), s.shard());
        }
        Set<Subject> chosen = EnumSet.noneOf(Subject.class);
        if (subjects != null)
            for (String name : subjects) chosen.add(Subject.parse(name));
        return new ReasoningRun(new RunContext(context.model(), context.input(), context.outDir(), s, context.console(),
                                        context.commandLine()),
                new ReasoningRun.Params(fewshot, chosen, limit, off.choice(), off.seed, maxNewTokens, parallel, p));
    }

    /**
     * --ctx when not given: the paper's, the harness's max length, the context the model was trained
     * for; tn's, PROMPT_TOKENS + --max-new-tokens, at most that (which a chosen --ctx may not exceed either).
     */
    private int defaultContext(Protocol p, Path model) {
        Long trained = ModelSummary.of(model).contextLength();
        boolean known = trained != null && trained > 0;
        if (p == Protocol.PAPER) {
            if (!known) {
                throw new InvalidValueException(
                        "{} records no context_length, the max length the prompt budget comes from: give {ctx}",
                        model.getFileName());
            }
            return Math.toIntExact(Math.min(trained, Integer.MAX_VALUE));
        }
        long ctx = PROMPT_TOKENS + (long) maxNewTokens;
        return Math.toIntExact(known ? Math.min(ctx, trained) : ctx);
    }

    @Override
    public Integer call() {
        return rescore == null ? super.call() : rescore();
    }

    private int rescore() {
        Path file = rescore.resolve("generations.jsonl");
        if (!Files.isRegularFile(file)) throw new InputException(rescore + " has no generations.jsonl to rescore");
        String code = lang;
        if (code == null) {
            if (!Files.isRegularFile(rescore.resolve("run.json"))) {
                throw new InvalidValueException("{} has no run.json to say its language: give {lang}", rescore);
            }
            code = RunJson.of(rescore).text("parameters.lang");
        }
        MmluProxLanguage language = MmluProxLanguage.of(code);
        List<MmluProxGenerations.Line> lines = MmluProxGenerations.rescore(file, language);
        MmluProxAccuracy accuracy = MmluProxGenerations.accuracy(lines);
        long invalid = lines.stream().filter(l -> l.extracted().equals(MmluProxScoring.INVALID)).count();
        accuracy.writeTsv(rescore.resolve("accuracy.tsv"));
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("lang", code);
        facts.put("questions", lines.size());
        facts.put("invalid", invalid);
        facts.put("rescored_from", file.toAbsolutePath().toString());
        accuracy.writeJson(rescore.resolve("accuracy.json"), facts);
        MmluProxAccuracy.Line total = accuracy.total();
        Cli.console(spec).out().printf(Locale.ROOT,
                "reasoning %s, rescored: accuracy %.4f (%d of %d; %d without an answer); "
                        + "wrote accuracy.tsv, accuracy.json in %s%n",
                code, total.accuracy(), total.correct(), total.questions(), invalid, rescore);
        Cli.console(spec).out().flush();
        return 0;
    }
}
