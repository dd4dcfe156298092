package tn.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import tn.method.LayerRange;
import tn.method.TransferType;
import tn.model.FileType;
import tn.run.RunSettings;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One tn command with its settings, as a study or a sweep describes a step: typed values in,
 * the one command line out that every executor runs (this process through tn's own parser, a
 * Slurm job from its batch script). Each option is checked against the registered command when
 * it is set, so a plan that names an option the command does not have fails where it is built
 * (and in the plans' tests), not on a cluster after queueing.
 */
final class Invocation {
    /** tn's commands, for their options; read only, never executed. */
    private static final CommandLine TN = Tn.commandLine();

    private final CommandSpec spec;
    private final List<String> argv = new ArrayList<>();

    private Invocation(CommandSpec spec, List<String> words) {
        this.spec = spec;
        argv.addAll(words);
    }

    /** A command by its words: of("detect"), of("model", "quantize"). */
    static Invocation of(String... command) {
        CommandLine cl = TN;
        for (String word : command) {
            cl = cl.getSubcommands().get(word);
            if (cl == null) throw new IllegalArgumentException("tn has no command '" + String.join(" ", command) + "'");
        }
        return new Invocation(cl.getCommandSpec(), List.of(command));
    }

    /** option=value; nothing when value is null (the command's default applies). */
    Invocation with(String option, Object value) {
        if (value == null) return this;
        argv.add(checked(option));
        argv.add(render(value));
        return this;
    }

    /** A flag without a value, when on. */
    Invocation flag(String option, boolean on) {
        if (on) argv.add(checked(option));
        return this;
    }

    /** A positional argument. */
    Invocation positional(Object value) {
        if (spec.positionalParameters().isEmpty()) {
            throw new IllegalArgumentException("tn " + name() + " takes no positional arguments");
        }
        argv.add(render(value));
        return this;
    }

    /**
     * The run options that pass settings on to a plan's runs: how they go, never which slice or
     * whether they resume (the executor decides that per step).
     */
    Invocation settings(RunSettings s) {
        return settings(s, true);
    }

    /** The same, without --ctx where context is false: the run sizes its own context. */
    Invocation settings(RunSettings s, boolean context) {
        with("--threads", s.threads()).with("--batch", s.batch()).with("--ctx", context ? s.contextSize() : null);
        with("--gpu-layers", s.gpuLayers()).with("--last-layer", s.lastLayer().id());
        with("--checkpoint-every", s.checkpointSeconds());
        return flag("--strict", s.strict()).flag("--quiet", s.quiet());
    }

    /** The command line, without "tn". */
    List<String> argv() {
        return List.copyOf(argv);
    }

    private String name() {
        return spec.qualifiedName().replaceFirst("^tn ", "");
    }

    private String checked(String option) {
        if (spec.findOption(option) == null) {
            throw new IllegalArgumentException("tn " + name() + " has no option " + option);
        }
        return option;
    }

    /** A value as the command's converters read it. */
    private static String render(Object value) {
        if (value instanceof TransferType t) return t.id();
        if (value instanceof FileType t) return t.name();
        if (value instanceof LayerRange r) return r.toString();
        if (value instanceof Path p) return p.toString();
        if (value instanceof Collection<?> c) return c.stream().map(Invocation::render).collect(Collectors.joining(","));
        return String.valueOf(value);
    }
}
