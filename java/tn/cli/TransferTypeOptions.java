package tn.cli;

import picocli.CommandLine.Option;
import tn.method.TransferType;

/** --type and --lang: which transfer neurons of which L2 (a picocli mixin). */
final class TransferTypeOptions {
    @Option(names = "--type", required = true, paramLabel = "type1|type2", converter = Converters.TransferTypes.class,
            order = -1,
            description =
                    "Which transfer neurons: type1 (early layers, toward the shared space; centroids of en/L2 pairs) "
                    + "or type2 (final layers, toward the L2's space; centroids of L2 sentences).")
    TransferType type;

    @Option(names = "--lang", required = true, paramLabel = "XX", order = -1,
            converter = Converters.LanguageCodes.class, description = "The L2's code, e.g. ja, nl, ko, it.")
    String lang;
}
