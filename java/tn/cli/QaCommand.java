package tn.cli;

import tn.run.Run;
import tn.run.RunContext;
import tn.run.RunInput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tn.qa.PromptTemplate;
import tn.run.QaRun;

import java.nio.file.Path;

@Command(name = "qa", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Question answering with neurons switched off: the paper's downstream test (MKQA).", "",
                "Each question of --lang is put into --template and answered by greedy generation of at most "
                        + "--max-new-tokens tokens (stopping early at the model's end-of-generation token). With "
                        + "--deactivate the top --top-n neurons of a ranking are switched off at every prompt position "
                        + "and left on at the generated tokens, as the paper did; --baseline switches off a random set "
                        + "of the same size instead, the paper's control. Run both and compare their mean F1.", "",
                "The answer is the first non-empty line generated. It is scored against the gold answers by MKQA's "
                        + "token F1 and exact match (the best over the answers) after MKQA's normalisation: lower case, "
                        + "no ASCII punctuation, no articles (en es de nl fr it pt sv da no fi hu vi ar), and characters as "
                        + "tokens for ja, zh, th and km.", "",
                "Writes DIR/answers.tsv (per question: prediction, F1, exact match, the whole generation, why it "
                        + "stopped, and the smallest top-2 logit margin of its greedy choices), DIR/qa.json (mean F1 "
                        + "and exact match), DIR/deactivated.tsv and DIR/run.json.", "",
                "--parallel questions are generated together in one llama.cpp batch, each in its own KV cache "
                        + "stream of --ctx tokens; a question gets the same tokens whatever --parallel is. --batch is how "
                        + "many questions go between checkpoints, and --last-layer does not apply.", ""},
        footer = {"", "Input: JSONL, one {\"question\": \"...\", \"answers\": [\"...\", ...], \"lang\": \"ja\"} per line; "
                + "lines of other languages are left out, a line without \"lang\" counts as --lang's, and an empty "
                + "\"answers\" list marks an unanswerable question (only an empty answer scores). MKQA's own release, "
                + "mkqa.jsonl(.gz), is read as it is: the question and answers (texts and aliases) of --lang from each line.", "",
                "Example:", "  tn qa --model M.gguf --questions mkqa-ja.jsonl --lang ja --deactivate out/ja/type1/ranking.tsv "
                + "--top-n 1000 --out out/ja/qa-type1-off"})
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

    @Option(names = "--template", defaultValue = PromptTemplate.DEFAULT, paramLabel = "TEXT",
            description = "The prompt, with {question} where the question goes; \\n is a line break and \\t a tab "
                    + "(default: '${DEFAULT-VALUE}').")
    String template;

    @Mixin
    DeactivationOptions off;

    @Option(names = "--parallel", defaultValue = "8", paramLabel = "P",
            description = "Questions generated together (default: ${DEFAULT-VALUE}); the answers do not depend on it.")
    int parallel;

    @Override
    RunInput input() {
        return new RunInput.Questions(questions, lang);
    }

    @Override
    Run newRun(RunContext context) {
        return new QaRun(context, new QaRun.Params(off.choice(), off.seed, PromptTemplate.parse(template), maxNewTokens,
                parallel));
    }
}
