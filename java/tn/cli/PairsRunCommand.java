package tn.cli;

import picocli.CommandLine.Mixin;
import tn.run.RunInput;

/** A representation analysis over en/L2 pairs, with neurons switched off on the L2 side (similarity, mknn). */
abstract class PairsRunCommand extends RunCommand {
    @Mixin
    PairsOptions pairs;

    @Mixin
    DeactivationOptions off;

    @Override
    final DeactivationOptions deactivation() {
        return off;
    }

    @Override
    final RunInput input() {
        return pairs.input();
    }
}
