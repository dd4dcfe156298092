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
import tn.run.Protocol;
import tn.run.QaRun;

import java.nio.file.Path;
import java.util.Set;

@Command(name = "qa", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Question answering with neurons switched off: the paper's downstream test (MKQA).", "",
                "By default the paper's protocol, as the original implementation ran it: each question of --lang is "
                        + "put into the original's prompt for the language, '{q}? 答え: ' (ja), '{q}? Antwoord: ' (nl), "
                        + "'{q}? 답변: ' (ko), '{q}? Risposta: ' (it), '{q}? Answer: ' (en), ending in that space (it has "
                        + "no others: give --template for another language), and answered by greedy generation of at "
                        + "most --max-new-tokens tokens, 10 (stopping early at the model's end-of-generation token); the "
                        + "whole continuation, decoded without special tokens, is the answer. MKQA's questions whose "
                        + "first English answer is of type long_answer or unanswerable are left out, every other one "
                        + "is answered, in the file's order.",
                "",
                "--protocol tn takes tn's own choices instead: an instruction template (see --template), which suits any language and base "
                        + "models that would otherwise go on with another question; the answer is the first non-empty "
                        + "line generated, since models keep writing after the answer and MKQA scores short answers; "
                        + "20 new tokens, room for an answer of a few words in any script. --template, --prompt, "
                        + "--answer and --max-new-tokens each override one setting of either protocol.",
                "",
                "With --deactivate the top --top-n neurons of a ranking are switched off at every prompt position "
                        + "(--deactivation-type prompt) or at the prompt's last position only (prompt_last) and left on "
                        + "at the generated tokens, as the paper did; --baseline switches off a random set of the same "
                        + "size instead, the paper's control. Run plain, --deactivate and --baseline, then tn qa-compare "
                        + "the three.",
                "",
                "The answer is scored against the gold answers (the answer texts and aliases, each once) by "
                        + "MKQA's token F1 and exact match (the best over the answers) after MKQA's normalisation: lower "
                        + "case, no ASCII punctuation, no articles (en es de nl fr it pt sv da no fi hu vi ar), and "
                        + "characters as tokens for ja, zh, th and km.",
                "",
                "Writes DIR/prompts.jsonl (per question: question_id, index, line, prompt, prompt_tokens), "
                        + "DIR/answers.tsv (per question: prediction, F1, exact match, the whole generation, why it "
                        + "stopped, and the smallest top-2 logit margin of its greedy choices), DIR/qa.json (mean F1 "
                        + "and exact match, the questions left out), DIR/deactivated.tsv and DIR/run.json.",
                "",
                "--parallel questions are generated together in one llama.cpp batch, each in its own KV cache "
                        + "stream of --ctx tokens; a question gets the same tokens whatever --parallel is. --batch is how "
                        + "many questions go between checkpoints, and --last-layer does not apply.",
                ""},
        footer = {"",
                "Input: MKQA's own release, mkqa.jsonl(.gz), read as it is: the question and answers (texts and "
                        + "aliases) of --lang from each line, in order; as the original does, a question whose first "
                        + "English answer is of type long_answer or unanswerable is left out unless --keep-unanswerable. "
                        + "Or JSONL, one {\"question\": \"...\", \"answers\": [\"...\", ...], \"lang\": \"ja\"} per "
                        + "line; lines of other languages are left out, a line without \"lang\" counts as --lang's, and "
                        + "an empty \"answers\" list marks an unanswerable question (only an empty answer scores).",
                "", "Examples (the paper's protocol; then tn's):",
                "  tn qa --model M.gguf --questions mkqa.jsonl.gz --lang ja --deactivate ja_type1_top1000.pkl "
                        + "--top-n 1000 --out out/ja/qa-type1-off",
                "  tn qa --model M.gguf --questions mkqa.jsonl.gz --lang de --protocol tn --out out/de/qa"})
final class QaCommand extends RunCommand {
    @Option(names = "--questions", required = true, paramLabel = "FILE.jsonl",
            description = "Questions with their gold answers (see below).")
    Path questions;

    @Option(names = "--lang", required = true, paramLabel = "XX",
            description = "The language of the questions to answer, and of MKQA's normalisation rules.")
    String lang;

    @Option(names = "--protocol", defaultValue = "paper", paramLabel = "paper|tn",
            description = "Whose settings: the paper's (the original implementation's prompt, the whole "
                    + "continuation, 10 new tokens) or tn's (its template, the first line, 20 new tokens); see above "
                    + "(default: ${DEFAULT-VALUE}).")
    String protocol;

    @Option(names = "--max-new-tokens", paramLabel = "N",
            description = "The most tokens generated per answer (default: " + QaRun.PAPER_MAX_NEW_TOKENS
                    + ", the paper's; " + QaRun.TN_MAX_NEW_TOKENS + " with --protocol tn).")
    Integer maxNewTokens;

    @Option(names = "--template", paramLabel = "TEXT",
            description = "The prompt, with {question} where the question goes; \\n is a line break and \\t a tab "
                    + "(default: the original's prompt for --lang; with --protocol tn '" + PromptTemplate.DEFAULT
                    + "').")
    String template;

    @Option(names = "--prompt", paramLabel = "original",
            description = "'original': the original implementation's prompt for --lang (see above), which the "
                    + "paper's protocol uses by default: this puts it into --protocol tn's other settings.")
    String prompt;

    @Option(names = "--deactivation-type", defaultValue = "prompt", paramLabel = "prompt|prompt_last",
            description = "Where the neurons go off: every prompt position (prompt, the paper's) or the prompt's last "
                    + "position only (prompt_last); never at generated tokens (default: ${DEFAULT-VALUE}).")
    String deactivationType;

    @Option(names = "--answer", paramLabel = "all|first-line",
            description = "What of the continuation is scored: all of it, as the original scores it (the default), or "
                    + "its first non-empty line (the default with --protocol tn).")
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
    DeactivationOptions deactivation() {
        return off;
    }

    @Override
    RunInput input() {
        return new RunInput.Questions(questions, lang);
    }

    @Override
    Run newRun(RunContext context) {
        Protocol p = Protocol.parse(protocol);
        int n = maxNewTokens != null ? maxNewTokens
                : p == Protocol.PAPER ? QaRun.PAPER_MAX_NEW_TOKENS : QaRun.TN_MAX_NEW_TOKENS;
        AnswerMode mode = answer != null ? AnswerMode.parse(answer)
                : p == Protocol.PAPER ? AnswerMode.ALL : AnswerMode.FIRST_LINE;
        return new QaRun(context,
                new QaRun.Params(off.choice(), off.seed, template(p), n, offAt(), mode, keepUnanswerable, parallel, p));
    }

    /** The spellings --prompt takes for the original's prompt: "seed" is its old name, still accepted. */
    private static final Set<String> ORIGINAL = Set.of("original", "paper", "seed");

    private PromptTemplate template(Protocol p) {
        if (prompt != null) {
            if (!ORIGINAL.contains(prompt))
                throw new InvalidValueException("{prompt} '{}': the only prompt is original", prompt);
            if (template != null) throw new InvalidValueException("{prompt} original and {template}: give one of them");
            return PromptTemplate.original(lang);
        }
        if (template != null) return PromptTemplate.parse(template);
        return p == Protocol.PAPER ? PromptTemplate.original(lang) : PromptTemplate.parse(PromptTemplate.DEFAULT);
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
