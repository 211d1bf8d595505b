package org.modelbench.app.manifest;

/**
 * The manifest's {@code executor:}: where the trials run by default ({@code modelbench run --executor}
 * overrides it) and the settings of that executor. It is not part of {@code resolved.json}: results do
 * not depend on it.
 *
 * @param type  the executor, default {@link ExecutorKind#LOCAL}
 * @param slurm the SLURM settings (partition, account, time, memory), default none
 */
public record ExecutorSettings(ExecutorKind type, SlurmSettings slurm) {
    /** Local, with default settings. */
    public static final ExecutorSettings DEFAULT = new ExecutorSettings(null, null);

    public ExecutorSettings {
        type = type == null ? ExecutorKind.LOCAL : type;
        slurm = slurm == null ? SlurmSettings.DEFAULT : slurm;
    }
}
