package org.modelbench.app.slurm;

/**
 * What one array task asks SLURM for.
 *
 * @param cpus      {@code --cpus-per-task}: the model's {@code trainer.threads}
 * @param memoryMb  {@code --mem} in MiB
 * @param partition {@code --partition}, or {@code null} for the cluster's default
 * @param account   {@code --account}, or {@code null} for the user's default
 * @param time      {@code --time}, or {@code null} for the partition's limit
 */
public record TaskResources(int cpus, int memoryMb, String partition, String account, String time) {
    public TaskResources {
        if (cpus < 1) {
            throw new IllegalArgumentException("cpus: expected >= 1, got " + cpus);
        }
        if (memoryMb < 64) {
            throw new IllegalArgumentException("memoryMb: expected >= 64, got " + memoryMb);
        }
    }

    /** The JVM heap of a task, in MiB: 3/4 of its memory, the rest for the JVM itself and native buffers. */
    public int heapMb() {
        return memoryMb * 3 / 4;
    }
}
