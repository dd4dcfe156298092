package tn.model;

import tn.io.Progress;

import tn.io.Console;

/** Shows a quantization's tensors done as a progress bar, started once the tensor count is known. */
public final class QuantizeProgress implements Quantizer.Listener, AutoCloseable {
    private final String label;
    private final boolean quiet;
    private final Console console;
    private Progress progress;
    private int shown;

    public QuantizeProgress(FileType type, boolean quiet, Console console) {
        this.label = "quantize " + type;
        this.quiet = quiet;
        this.console = console;
    }

    @Override
    public void tensors(int done, int total) {
        if (progress == null) {
            if (done == total) return; // finished before the first look: a bar would only show a meaningless rate
            progress = Progress.items(label, "tensors", total, 0, quiet, console);
        }
        progress.advance(done - shown);
        shown = done;
    }

    @Override
    public void close() {
        if (progress != null) progress.close();
    }
}
