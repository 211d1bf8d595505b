package org.modelbench.data;

import java.util.ArrayList;
import java.util.List;

/**
 * A growable sequence of floats held in chunks, so that growing never copies and the final array
 * can be filled while the chunks are released one by one (peak memory: the values once plus one
 * chunk). When the count is known ({@link #presize}), the values go into one array of that size,
 * which {@link #exactArray} hands over without a copy when the count was exact.
 */
public final class FloatChunks {
    private static final int CHUNK = 1 << 16;
    private final List<float[]> chunks = new ArrayList<>();
    private float[] current = new float[CHUNK];
    private int used;
    private long size;

    FloatChunks() {
    }

    /**
     * From now on, keeps the values in one array of {@code capacity} (the values so far copied into it;
     * values beyond it go on in chunks), when no chunk is full yet and the values so far fit; otherwise
     * nothing changes.
     */
    void presize(long capacity) {
        if (chunks.isEmpty() && capacity >= size && capacity <= Integer.MAX_VALUE - 8) {
            current = java.util.Arrays.copyOf(current, (int) capacity);
        }
    }

    /** The presized array, for a writer that fills it directly and then calls {@link #setSize}. */
    float[] presizedArray() {
        if (!chunks.isEmpty()) {
            throw new IllegalStateException("not presized");
        }
        return current;
    }

    /** After filling {@link #presizedArray()} directly: its first {@code count} values are the values. */
    void setSize(long count) {
        if (!chunks.isEmpty() || count > current.length) {
            throw new IllegalArgumentException("size " + count + " of a presized array of " + current.length);
        }
        used = (int) count;
        size = count;
    }

    /** The values as one array without a copy, when presized with exactly their count; else {@code null}. */
    float[] exactArray() {
        return chunks.isEmpty() && used == current.length ? current : null;
    }

    void add(float value) {
        if (used == current.length) {
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
        chunks.add(current);
        int tail = used;
        current = new float[0];
        used = 0;
        return new Cursor(tail);
    }

    /** Reads the values once, in order. */
    public final class Cursor {
        private final int tail;
        private int chunk;
        private int offset;

        private Cursor(int tail) {
            this.tail = tail;
        }

        /** The values in chunk {@code k}: all of it, but the last only up to what was added. */
        private int length(int k) {
            return k == chunks.size() - 1 ? tail : chunks.get(k).length;
        }

        /** The next value. */
        public float next() {
            while (offset == length(chunk)) {
                chunks.set(chunk++, null);
                offset = 0;
            }
            return chunks.get(chunk)[offset++];
        }

        /** The next {@code n} values into {@code into[at, at + n)}. */
        public void next(float[] into, int at, int n) {
            while (n > 0) {
                int length = length(chunk);
                if (offset == length) {
                    chunks.set(chunk++, null);
                    offset = 0;
                    continue;
                }
                int take = Math.min(n, length - offset);
                System.arraycopy(chunks.get(chunk), offset, into, at, take);
                offset += take;
                at += take;
                n -= take;
            }
        }
    }
}
