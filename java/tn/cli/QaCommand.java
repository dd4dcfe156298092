package tn.cli;

import tn.run.Run;
import tn.run.RunContext;
import tn.run.RunInput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tn.io.InvalidValueException;
import tn.llama.Positions;
import tn.qa.AnswerMode;
import tn.qa.PromptTemplate;
import tn.run.QaRun;

import java.nio.file.Path;

@Command(name = "qa", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Question answering with neurons switched off: the paper's downstream test (MKQA).", "",
                "Each question of --lang is put into --template (or the original's prompt, --prompt seed) and answered "
                        + "by greedy generation of at most --max-new-tokens tokens (stopping early at the model's "
                        + "end-of-generation token). With --deactivate the top --top-n neurons of a ranking are switched "
                        + "off at every prompt position (--deactivation-type prompt) or at the prompt's last position only "
                        + "(prompt_last) and left on at the generated tokens, as the paper did; --baseline switches off a "
                        + "random set of the same size instead, the paper's control. Run plain, --deactivate and "
                        + "--baseline, then tn qa-compare the three.",
                "",
                "The answer is the first non-empty line generated (--answer first-line) or the whole continuation "
                        + "(--answer all, as the original scores it). It is scored against the gold answers by MKQA's "
                        + "token F1 and exact match (the best over the answers) after MKQA's normalisation: lower case, "
                        + "no ASCII punctuation, no articles (en es de nl fr it pt sv da no fi hu vi ar), and characters as "
                        + "tokens for ja, zh, th and km.",
                "",
                "Writes DIR/answers.tsv (per question: prediction, F1, exact match, the whole generation, why it "
                        + "stopped, and the smallest top-2 logit margin of its greedy choices), DIR/qa.json (mean F1 "
                        + "and exact match, the questions left out), DIR/deactivated.tsv and DIR/run.json.",
                "",
                "--parallel questions are generated together in one llama.cpp batch, each in its own KV cache "
                        + "stream of --ctx tokens; a question gets the same tokens whatever --parallel is. --batch is how "
                        + "many questions go between checkpoints, and --last-layer does not apply.",
                ""},
        footer = {"",
                "Input: JSONL, one {\"question\": \"...\", \"answers\": [\"...\", ...], \"lang\": \"ja\"} per line; "
                        + "lines of other languages are left out, a line without \"lang\" counts as --lang's, and an empty "
                        + "\"answers\" list marks an unanswerable question (only an empty answer scores). MKQA's own release, "
                        + "mkqa.jsonl(.gz), is read as it is: the question and answers (texts and aliases) of --lang from each "
                        + "line; as the original does, a question whose first English answer is of type long_answer or "
                        + "unanswerable is left out unless --keep-unanswerable.",
                "", "Example (the original's setting):",
                "  tn qa --model M.gguf --questions mkqa.jsonl.gz --lang ja --prompt seed "
                        + "--answer all --max-new-tokens 10 --deactivate ja_type1_top1000.pkl --top-n 1000 --out out/ja/qa-type1-off"})
final class QaCommand extends RunCommand {
    @Option(names = "--questions", required = true, paramLabel = "FILE.jsonl",
            description = "Questions with their gold answers (see below).")
    Path questions;

    @Option(names = "--lang", required = true, paramLabel = "XX",
            description = "The language of the questions to answer, and of MKQA's normalisation rules.")
    String lang;

    @Option(names = "--max-new-tokens", defaultValue = "20", paramLabel = "N",
            description = "The most tokens generated per answer (default: ${DEFAULT-VALUE}).")
    int maxNewTokens;

    @Option(names = "--template", paramLabel = "TEXT",
            description = "The prompt, with {question} where the question goes; \\n is a line break and \\t a tab "
                    + "(default: '" + PromptTemplate.DEFAULT + "').")
    String template;

    @Option(names = "--prompt", paramLabel = "seed",
            description =
                    "'seed': the original implementation's prompt for --lang instead of --template: ja '{q}? 答え: ', "
                    + "nl '{q}? Antwoord: ', ko '{q}? 답변: ', it '{q}? Risposta: ', en '{q}? Answer: '.")
    String prompt;

    @Option(names = "--deactivation-type", defaultValue = "prompt", paramLabel = "prompt|prompt_last",
            description = "Where the neurons go off: every prompt position (prompt, the paper's) or the prompt's last "
                    + "position only (prompt_last); never at generated tokens (default: ${DEFAULT-VALUE}).")
    String deactivationType;

    @Option(names = "--answer", defaultValue = "first-line", paramLabel = "first-line|all",
            description = "What of the continuation is scored: its first non-empty line, or all of it as the original "
                    + "scores it (default: ${DEFAULT-VALUE}).")
    String answer;

    @Option(names = "--keep-unanswerable",
            description =
                    "Keep MKQA's questions whose English answer is of type long_answer or unanswerable, which the "
                    + "original leaves out (only an empty answer scores on an unanswerable one).")
    boolean keepUnanswerable;

    @Mixin
    DeactivationOptions off;

    @Option(names = "--parallel", defaultValue = "4", paramLabel = "P",
            description = "Questions generated together (default: ${DEFAULT-VALUE}); the answers do not depend on it.")
    int parallel;

    @Override
    RunInput input() {
        return new RunInput.Questions(questions, lang);
    }

    @Override
    Run newRun(RunContext context) {
        return new QaRun(context,
                new QaRun.Params(off.choice(), off.seed, template(), maxNewTokens, offAt(), AnswerMode.parse(answer),
                        keepUnanswerable, parallel));
    }

    private PromptTemplate template() {
        if (prompt == null) return PromptTemplate.parse(template == null ? PromptTemplate.DEFAULT : template);
        if (!prompt.equals("seed")) throw new InvalidValueException("{prompt} '{}': the only style is seed", prompt);
        if (template != null) throw new InvalidValueException("{prompt} seed and {template}: give one of them");
        return PromptTemplate.seed(lang);
    }

    private Positions offAt() {
        return switch (deactivationType) {
            case "prompt" -> Positions.ALL_TOKENS;
            case "prompt_last" -> Positions.LAST_TOKEN;
            default ->
                throw new InvalidValueException(
                        "{deactivation_type} '{}': expected prompt or prompt_last", deactivationType);
        };
    }
}
