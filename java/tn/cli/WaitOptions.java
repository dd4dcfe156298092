package tn.cli;

import tn.io.InvalidValueException;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;

/** Following submitted jobs to their end (a picocli mixin). */
final class WaitOptions {
    @Option(order = 60, names = "--wait",
            description = "Follow the jobs until they end; exit 1, naming each job that did not finish and its log, "
                    + "if any failed, was cancelled or could never run.")
    boolean wait;

    @Mixin
    Poll poll;

    /** How often the queue is looked at (a picocli mixin). */
    static final class Poll {
        @Option(order = 60, names = "--poll", defaultValue = "10", paramLabel = "SECONDS",
                description = "Seconds between looks at the queue while following (default: ${DEFAULT-VALUE}).")
        int seconds;

        Duration every() {
            if (seconds < 1) throw new InvalidValueException("{}", "--poll must be at least 1 second, is " + seconds);
            return Duration.ofSeconds(seconds);
        }
    }
}
