package org.modelbench.data;

import java.util.ArrayList;
import java.util.List;

/**
 * A growable sequence of floats held in fixed-size chunks, so that growing never copies and the
 * final array can be filled while the chunks are released one by one (peak memory: the values
 * once plus one chunk).
 */
final class FloatChunks {
    private static final int CHUNK = 1 << 16;
    private final List<float[]> chunks = new ArrayList<>();
    private float[] current = new float[CHUNK];
    private int used;
    private long size;

    void add(float value) {
        if (used == CHUNK) {
            chunks.add(current);
            current = new float[CHUNK];
            used = 0;
        }
        current[used++] = value;
        size++;
    }

    long size() {
        return size;
    }

    /** A reader over the values in order; it releases each chunk once it has passed it. */
    Cursor drain() {
        chunks.add(current);
        current = null;
        return new Cursor();
    }

    /** Reads the values once, in order. */
    final class Cursor {
        private int chunk;
        private int offset;

        float next() {
            if (offset == CHUNK) {
                chunks.set(chunk++, null);
                offset = 0;
            }
            return chunks.get(chunk)[offset++];
        }
    }
}
