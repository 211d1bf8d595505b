package org.modelbench.data;

import java.util.ArrayList;
import java.util.List;

/**
 * A growable sequence of floats held in fixed-size chunks, so that growing never copies and the
 * final array can be filled while the chunks are released one by one (peak memory: the values
 * once plus one chunk). When an upper bound of the count is known ({@link #presize}), the values go
 * into one array instead, which {@link #exactArray} hands over without a copy when the bound was
 * exact.
 */
public final class FloatChunks {
    private static final int CHUNK = 1 << 16;
    private final List<float[]> chunks = new ArrayList<>();
    private float[] current = new float[CHUNK];
    private int used;
    private long size;
    private float[] single;

    FloatChunks() {
    }

    /**
     * From now on, keeps the values in one array of {@code capacity} (the values so far copied into it),
     * when they fit in one array and {@code capacity} is at least the final count; otherwise nothing
     * changes.
     */
    void presize(long capacity) {
        if (single != null || !chunks.isEmpty() || capacity < size || capacity > Integer.MAX_VALUE - 8) {
            return;
        }
        single = java.util.Arrays.copyOf(current, (int) capacity);
        current = null;
    }

    /** The values as one array without a copy, when presized with exactly their count; else {@code null}. */
    float[] exactArray() {
        return single != null && single.length == size ? single : null;
    }

    void add(float value) {
        if (single != null) {
            single[(int) size++] = value;
            return;
        }
        if (used == CHUNK) {
            chunks.add(current);
            current = new float[CHUNK];
            used = 0;
        }
        current[used++] = value;
        size++;
    }

    /** The number of values. */
    public long size() {
        return size;
    }

    /** A reader over the values in order; it releases each chunk once it has passed it. */
    public Cursor drain() {
        if (single == null) {
            chunks.add(current);
            current = null;
        }
        return new Cursor();
    }

    /** Reads the values once, in order. */
    public final class Cursor {
        private int chunk;
        private int offset;

        private Cursor() {
        }

        /** The next value. */
        public float next() {
            if (single != null) {
                return single[offset++];
            }
            if (offset == CHUNK) {
                chunks.set(chunk++, null);
                offset = 0;
            }
            return chunks.get(chunk)[offset++];
        }
    }
}
