package tn.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import tn.record.RunJson;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a run folder is a run of, read from what it recorded (run.json's command and parameters,
 * or the file only that command writes), never from the folder's name: the experiment, its
 * language, the type of the transfer neurons it concerns and the condition it ran under.
 *
 * @param kind      the experiment
 * @param lang      the L2, or "" where the run spans languages
 * @param type      "type1" or "type2", or "" where the run concerns no one ranking
 * @param condition plain, transfer neurons off or random neurons off
 */
record Experiment(Kind kind, String lang, String type, Condition condition) {
    /** The experiments in the paper's order, then tn's own additions. */
    enum Kind {
        DETECT,
        SIMILARITY,
        MKNN,
        LATENT,
        SPECIFICITY,
        QA,
        QA_COMPARE,
        REASONING,
        COMPARE,
        LAPE,
        OVERLAP,
        OTHER
    }

    /** The conditions the paper compares, named as its figures name them. */
    enum Condition {
        PLAIN("all neurons"),
        OFF("transfer neurons off"),
        BASELINE("random neurons off");

        final String label;

        Condition(String label) {
            this.label = label;
        }
    }

    static Experiment of(RunFolder folder) {
        Path dir = folder.dir();
        if (folder.runJson().isEmpty()) {
            if (Files.isRegularFile(dir.resolve("compare.json"))) return plain(Kind.COMPARE);
            if (Files.isRegularFile(dir.resolve("overlap.json"))) return plain(Kind.OVERLAP);
            if (Files.isRegularFile(dir.resolve("qa_compare.tsv"))) return plain(Kind.QA_COMPARE);
            return plain(Kind.OTHER);
        }
        RunJson run = folder.runJson().get();
        Kind kind = switch (run.optionalText("command").orElse("")) {
            case "detect" -> Kind.DETECT;
            case "similarity" -> Kind.SIMILARITY;
            case "mknn" -> Kind.MKNN;
            case "latent" -> Kind.LATENT;
            case "specificity" -> Kind.SPECIFICITY;
            case "qa" -> Kind.QA;
            case "reasoning" -> Kind.REASONING;
            case "lape" -> Kind.LAPE;
            default -> Kind.OTHER;
        };
        String lang = run.optionalText("parameters.lang").orElse("");
        if (kind == Kind.DETECT)
            return new Experiment(kind, lang, run.optionalText("parameters.type").orElse(""), Condition.PLAIN);
        String deactivated = run.optionalText("parameters.deactivated").orElse("none");
        Condition condition = deactivated.equals("none") ? Condition.PLAIN
                : deactivated.startsWith("baseline")     ? Condition.BASELINE
                                                         : Condition.OFF;
        String type =
                condition == Condition.PLAIN ? "" : deactivatedRanking(run).flatMap(Experiment::rankingType).orElse("");
        return new Experiment(kind, lang, type, condition);
    }

    private static Experiment plain(Kind kind) {
        return new Experiment(kind, "", "", Condition.PLAIN);
    }

    /** The ranking given to --deactivate, from the command line run.json recorded. */
    private static Optional<Path> deactivatedRanking(RunJson run) {
        JsonElement line = run.tree().has("run") && run.tree().get("run").isJsonObject()
                ? run.tree().getAsJsonObject("run").get("command_line")
                : null;
        if (line == null || !line.isJsonArray()) return Optional.empty();
        JsonArray args = line.getAsJsonArray();
        for (int i = 0; i < args.size() - 1; i++) {
            String a = args.get(i).getAsString();
            if (a.equals("--deactivate")) return Optional.of(Path.of(args.get(i + 1).getAsString()));
            if (a.startsWith("--deactivate=")) return Optional.of(Path.of(a.substring("--deactivate=".length())));
        }
        return Optional.empty();
    }

    /** The type the detection beside a ranking file recorded. */
    private static Optional<String> rankingType(Path ranking) {
        Path dir = ranking.toAbsolutePath().getParent();
        if (dir == null || !Files.isRegularFile(dir.resolve("run.json"))) return Optional.empty();
        try {
            return RunJson.of(dir).optionalText("parameters.type");
        } catch (RuntimeException e) {
            return Optional.empty(); // a ranking from elsewhere: the run is shown without its type
        }
    }

    /** "Type-1" for "type1". */
    static String typeName(String type) {
        return type.startsWith("type") ? "Type-" + type.substring(4) : type;
    }
}
