package org.modelbench.data;

import java.util.Arrays;

/** A growable int array (codes of categorical cells, labels, line numbers). */
final class IntChunks {
    private int[] values;
    private int size;

    IntChunks() {
        this(new int[1024], 0);
    }

    /** Continues {@code values}, whose first {@code size} entries are taken as added (no copy). */
    IntChunks(int[] values, int size) {
        this.values = values.length == 0 ? new int[16] : values;
        this.size = size;
    }

    void add(int value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, values.length * 2);
        }
        values[size++] = value;
    }

    int size() {
        return size;
    }

    int get(int i) {
        return values[i];
    }

    int[] toArray() {
        return size == values.length ? values : Arrays.copyOf(values, size);
    }
}
