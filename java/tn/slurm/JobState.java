package tn.slurm;

import java.util.Set;

/**
 * A job (or one task of an array job) as squeue shows it: its id ("12", or "12_3" for task 3),
 * its state and Slurm's reason for it.
 */
public record JobState(String id, String state, String reason) {
    /** The states a job ends in; every other state (PENDING, RUNNING, COMPLETING, REQUEUED, ...) is on its way. */
    private static final Set<String> ENDED = Set.of("COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "OUT_OF_MEMORY",
            "NODE_FAIL", "PREEMPTED", "BOOT_FAIL", "DEADLINE", "REVOKED");

    public boolean ended() {
        return ENDED.contains(state);
    }

    /**
     * A job that waits on a job that failed: without DependencyParameters=kill_invalid_depend in
     * slurm.conf it stays PENDING with this reason forever, with it Slurm cancels it.
     */
    public boolean dependencyFailed() {
        return "DependencyNeverSatisfied".equals(reason);
    }

    @Override
    public String toString() {
        return state + (reason == null || reason.isEmpty() || reason.equals("None") ? "" : " (" + reason + ")");
    }
}
