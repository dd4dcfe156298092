package tn.run;

import tn.data.Dataset;
import tn.generate.BatchedGenerator;
import tn.llama.Session;

import java.util.List;

/**
 * A run that answers by greedy generation (qa, reasoning): it decodes with a {@link
 * BatchedGenerator} of its own, --parallel requests at a time in KV streams of --ctx tokens, and
 * needs no capture session.
 */
abstract class GeneratingRun extends Run {
    private final int parallel;
    private int streamContext; // the tokens each KV stream holds; 0: --ctx
    private BatchedGenerator generator;

    GeneratingRun(RunContext context, int parallel) {
        super(context);
        BatchedGenerator.checkParallel(parallel); // before the output folder is made
        this.parallel = parallel;
    }

    @Override
    protected final Session openSession() {
        return null;
    }

    /** The questions' prompts as items, each leaving room in the context for maxNewTokens of answer. */
    protected final Items questions(List<Dataset> files, int maxNewTokens) {
        return Items.monolingual(model, files, settings.contextSize() - maxNewTokens, settings.strict(), err);
    }

    /**
     * The questions' prompts as items, none left out: a prompt longer than budget tokens is cut from
     * the left to its last budget tokens, as lm-evaluation-harness does.
     */
    protected final Items leftTruncatedQuestions(List<Dataset> files, int budget) {
        return Items.leftTruncated(model, files, budget);
    }

    /** Each KV stream holds this many tokens (a prompt and its answer) instead of --ctx; before any generation. */
    protected final void streamContext(int tokens) {
        if (generator != null) throw new IllegalStateException("the generator is open");
        streamContext = tokens;
    }

    @Override
    protected final String unit(Items items) {
        return "questions";
    }

    /** The generator, opened on first use. */
    protected final BatchedGenerator generator() {
        if (generator == null) {
            int tokens = streamContext > 0 ? streamContext : settings.contextSize();
            generator = new BatchedGenerator(model, parallel, tokens, settings.threads(), true);
        }
        return generator;
    }

    @Override
    protected void release() {
        if (generator != null) generator.close();
    }
}
