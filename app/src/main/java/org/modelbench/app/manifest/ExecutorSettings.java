package org.modelbench.app.manifest;

import org.modelbench.app.executor.SparkSettings;

/**
 * The manifest's {@code executor:}: where the trials run by default ({@code modelbench run --executor}
 * overrides it) and the settings of that executor. It is not part of {@code resolved.json}: results do
 * not depend on it.
 *
 * @param type  the executor, default {@link ExecutorKind#LOCAL}
 * @param slurm the SLURM settings (partition, account, time, memory), default none
 * @param spark the Spark settings (master URL, shared bundle folder), default {@code local[2]}
 */
public record ExecutorSettings(ExecutorKind type, SlurmSettings slurm, SparkSettings spark) {
    /** Local, with default settings. */
    public static final ExecutorSettings DEFAULT = new ExecutorSettings(null, null, null);

    public ExecutorSettings {
        type = type == null ? ExecutorKind.LOCAL : type;
        slurm = slurm == null ? SlurmSettings.DEFAULT : slurm;
        spark = spark == null ? SparkSettings.DEFAULT : spark;
    }
}
