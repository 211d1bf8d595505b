package org.modelbench.app.manifest;

import org.modelbench.api.ConfigException;

/**
 * Training-set augmentation: random shifts, rotations, zooms and horizontal flips of the training
 * images, drawn from the trial's seed.
 *
 * <p>Each transformed image is {@code flip -> zoom -> rotate about the centre -> shift}, sampled
 * with bilinear interpolation; uncovered pixels take the value a raw 0 has after preprocessing.
 * Per image: a whole-pixel shift in {@code [-maxShift, maxShift]} on each axis, an angle in
 * {@code [-maxRotation, maxRotation]} degrees, a scale in {@code [1 - maxZoom, 1 + maxZoom]} and,
 * with {@code horizontalFlip}, a mirror with probability 1/2.
 *
 * <p>Trainers that {@linkplain org.modelbench.api.Trainer#appliesAugmentation() apply augmentation}
 * (the engine's) transform every batch of every epoch afresh, seeded by (trial seed, epoch, batch),
 * so the data never grows. For other trainers (e.g. random forests) the runner appends {@code copies}
 * transformed copies of every training row once instead.
 *
 * @param type           {@code none}, {@code random}, or {@code shift} (an older name for random);
 *                       default: random when any transform is given, else none
 * @param maxShift       the largest translation in pixels, {@code >= 0}; default 0 (2 for {@code shift})
 * @param maxRotation    the largest rotation in degrees, in {@code [0, 180]}; default 0
 * @param maxZoom        the largest relative zoom, in {@code [0, 0.9]}; default 0
 * @param horizontalFlip mirror half of the images left-right; default false
 * @param copies         transformed copies per row for trainers that do not augment per batch, in
 *                       {@code [1, 10]}; default 1
 */
public record Augmentation(Type type, Integer maxShift, Double maxRotation, Double maxZoom, Boolean horizontalFlip,
                           Integer copies) {

    /** No augmentation. */
    public static final Augmentation NONE = new Augmentation(null, null, null, null, null, null);

    /** Augmentation kinds. */
    public enum Type { NONE, RANDOM, SHIFT }

    public Augmentation {
        if (type == Type.SHIFT && maxShift == null) {
            maxShift = 2;
        }
        maxShift = maxShift == null ? 0 : maxShift;
        if (maxShift < 0 || maxShift > 64) {
            throw new ConfigException("maxShift", "expected an integer in [0, 64], got " + maxShift);
        }
        maxRotation = maxRotation == null ? 0.0 : maxRotation;
        if (!(maxRotation >= 0 && maxRotation <= 180)) {
            throw new ConfigException("maxRotation", "expected degrees in [0, 180], got " + maxRotation);
        }
        maxZoom = maxZoom == null ? 0.0 : maxZoom;
        if (!(maxZoom >= 0 && maxZoom <= 0.9)) {
            throw new ConfigException("maxZoom", "expected a fraction in [0, 0.9], got " + maxZoom);
        }
        horizontalFlip = horizontalFlip != null && horizontalFlip;
        boolean any = maxShift > 0 || maxRotation > 0 || maxZoom > 0 || horizontalFlip;
        if (type == null) {
            type = any ? Type.RANDOM : Type.NONE;
        } else if (type != Type.NONE && !any) {
            throw new ConfigException("type", "expected at least one of maxShift, maxRotation, maxZoom, "
                    + "horizontalFlip with type " + type.name().toLowerCase(java.util.Locale.ROOT));
        } else if (type == Type.NONE && any) {
            throw new ConfigException("type", "expected random (or no type) when transforms are given, got none");
        }
        copies = copies == null ? 1 : copies;
        if (copies < 1 || copies > 10) {
            throw new ConfigException("copies", "expected an integer in [1, 10], got " + copies);
        }
    }

    /** Whether this augments at all. */
    public boolean enabled() {
        return type != Type.NONE;
    }
}
