package tn.cli;

import picocli.CommandLine.Option;
import tn.method.LayerRange;

/** --layers of a detection: the candidate layers, when not the type's default (a picocli mixin). */
final class CandidateLayersOption {
    @Option(names = "--layers", paramLabel = "A:B", converter = Converters.LayerRanges.class,
            description = "Candidate layers A..B-1 (0-based, B exclusive) instead of the type's default.")
    LayerRange layers;
}
