package tn.slurm;

/** Slurm could not be used: a command is missing, fails, or refuses what tn asked. */
public final class SlurmException extends RuntimeException {
    public SlurmException(String message) {
        super(message);
    }

    public SlurmException(String message, Throwable cause) {
        super(message, cause);
    }
}
