package org.modelbench.app.manifest;

import org.modelbench.api.ConfigException;

/**
 * The augmentation hook: extra training rows made from the originals, drawn from the trial's seed.
 * {@code shift} adds {@code copies} copies of every training image, each translated by a random
 * whole number of pixels in {@code [-maxShift, maxShift]} on both axes (uncovered pixels become 0).
 *
 * @param type     {@code none} or {@code shift}; default none
 * @param maxShift the largest translation in pixels, {@code >= 1}; default 2
 * @param copies   shifted copies per original row, {@code >= 1}; default 1
 */
public record Augmentation(Type type, Integer maxShift, Integer copies) {

    /** No augmentation. */
    public static final Augmentation NONE = new Augmentation(null, null, null);

    /** Augmentation kinds. */
    public enum Type { NONE, SHIFT }

    public Augmentation {
        type = type == null ? Type.NONE : type;
        maxShift = maxShift == null ? 2 : maxShift;
        if (maxShift < 1) {
            throw new ConfigException("maxShift", "expected an integer >= 1, got " + maxShift);
        }
        copies = copies == null ? 1 : copies;
        if (copies < 1 || copies > 10) {
            throw new ConfigException("copies", "expected an integer in [1, 10], got " + copies);
        }
    }
}
