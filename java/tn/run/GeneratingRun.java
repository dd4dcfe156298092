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

    @Override
    protected final String unit(Items items) {
        return "questions";
    }

    /** The generator, opened on first use. */
    protected final BatchedGenerator generator() {
        if (generator == null)
            generator = new BatchedGenerator(model, parallel, settings.contextSize(), settings.threads(), true);
        return generator;
    }

    @Override
    protected void release() {
        if (generator != null) generator.close();
    }
}
