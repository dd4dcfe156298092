package tn.cli;

import picocli.CommandLine.Mixin;
import tn.run.RunInput;

/** A run over one sentence file per language (latent, specificity, lape). */
abstract class LanguagesRunCommand extends RunCommand {
    @Mixin
    LanguageFilesOption sentences;

    @Override
    final RunInput input() {
        return sentences.input();
    }
}
