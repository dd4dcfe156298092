package tn.run;

import tn.io.InvalidValueException;

import tn.generate.BatchedGenerator;
import tn.llama.Session;

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
        if (parallel < 1 || parallel > 255) throw new InvalidValueException("{parallel} must be 1..255, is {}", parallel);
        this.parallel = parallel;
    }

    @Override
    protected final Session openSession() {
        return null;
    }

    /** The generator, opened on first use. */
    protected final BatchedGenerator generator() {
        if (generator == null) generator = new BatchedGenerator(model, parallel, settings.contextSize(), settings.threads(), true);
        return generator;
    }

    @Override
    protected void release() {
        if (generator != null) generator.close();
    }
}
