package org.modelbench.app.manifest;

import java.util.Arrays;
import java.util.Locale;
import org.modelbench.api.InvalidInputException;

/**
 * Where a run's trials execute: {@code local} (this machine, {@code --jobs N} at a time), {@code spark}
 * (a Spark job, one task per trial) or {@code slurm} (an {@code sbatch} job array, one task per trial).
 * The choice never changes a result.
 */
public enum ExecutorKind {
    /** This machine. */
    LOCAL,
    /** A Spark cluster. */
    SPARK,
    /** A SLURM cluster with a shared file system. */
    SLURM;

    /** The lower-case name used on the command line and in manifests. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The kind named {@code name} (case-insensitive).
     *
     * @throws InvalidInputException naming {@code key} and the known names
     */
    public static ExecutorKind parse(String name, String key) {
        return Arrays.stream(values()).filter(k -> k.id().equalsIgnoreCase(name.trim())).findFirst()
                .orElseThrow(() -> new InvalidInputException(key + ": expected one of local, spark, slurm, got '"
                        + name + "'"));
    }
}
