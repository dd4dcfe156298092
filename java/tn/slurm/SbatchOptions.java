package tn.slurm;

import tn.io.InvalidValueException;

import java.util.ArrayList;
import java.util.List;

/**
 * What every job of a submission asks of the cluster, as #SBATCH lines: partition, GPUs and CPUs
 * per task, memory, time limit, account, and any other sbatch option given as is. Null or empty
 * leaves the cluster's default.
 *
 * @param gpusPerTask GPUs for each job that runs the model forward (shards, steps); merges and
 *                    other bookkeeping jobs get none
 * @param extra       further sbatch options, each one word ("--qos=high")
 */
public record SbatchOptions(String partition, Integer gpusPerTask, Integer cpusPerTask, String mem, String time,
        String account, List<String> extra) {
    public SbatchOptions {
        extra = extra == null ? List.of() : List.copyOf(extra);
        check("partition", partition);
        check("mem", mem);
        check("time", time);
        check("account", account);
        for (String e : extra) {
            check("sbatch argument", e);
            if (!e.startsWith("-"))
                throw new InvalidValueException("{sbatch_arg} '{}' is not an sbatch option: one starts with a dash", e);
        }
        if (gpusPerTask != null && gpusPerTask < 0)
            throw new InvalidValueException("{gpus_per_task} must be >= 0, is {}", gpusPerTask);
        if (cpusPerTask != null && cpusPerTask < 1)
            throw new InvalidValueException("{cpus_per_task} must be >= 1, is {}", cpusPerTask);
    }

    public static SbatchOptions none() {
        return new SbatchOptions(null, null, null, null, null, null, List.of());
    }

    /** The #SBATCH options of a job; gpus: whether it runs the model forward. */
    public List<String> directives(boolean gpus) {
        List<String> d = new ArrayList<>();
        if (partition != null) d.add("--partition=" + partition);
        if (account != null) d.add("--account=" + account);
        if (time != null) d.add("--time=" + time);
        if (mem != null) d.add("--mem=" + mem);
        if (cpusPerTask != null) d.add("--cpus-per-task=" + cpusPerTask);
        if (gpus && gpusPerTask != null && gpusPerTask > 0) d.add("--gpus-per-task=" + gpusPerTask);
        d.addAll(extra);
        return d;
    }

    /** An #SBATCH line holds one word per option: no white space, no quotes to undo. */
    private static void check(String what, String value) {
        if (value == null) return;
        if (value.isEmpty() || !value.matches("[^\\s'\"\\\\]+")) {
            throw new InvalidValueException("{}", what + " '" + value + "': one word without spaces or quotes, please");
        }
    }
}
