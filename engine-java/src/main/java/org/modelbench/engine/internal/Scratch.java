package org.modelbench.engine.internal;

/**
 * Per-thread scratch arrays, so that steady-state batches allocate no temporary buffers. A buffer
 * belongs to its thread until the caller's task ends; its contents are undefined on entry.
 */
final class Scratch {
    /** The slots: one buffer per purpose and thread. */
    enum Slot { IM2COL, COL_GRADIENT, OUTPUT_GRADIENT, FULL_ROW_OUTPUT }

    private static final ThreadLocal<float[][]> BUFFERS =
            ThreadLocal.withInitial(() -> new float[Slot.values().length][0]);

    private Scratch() {
    }

    /** This thread's buffer for {@code slot}, at least {@code size} long. */
    static float[] floats(Slot slot, int size) {
        float[][] all = BUFFERS.get();
        if (all[slot.ordinal()].length < size) {
            all[slot.ordinal()] = new float[size];
        }
        return all[slot.ordinal()];
    }
}
