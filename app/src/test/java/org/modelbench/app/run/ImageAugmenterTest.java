package org.modelbench.app.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.modelbench.api.ConfigException;
import org.modelbench.api.Dataset;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.Model;
import org.modelbench.api.RecordBinder;
import org.modelbench.api.RunContext;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.api.Trainer;
import org.modelbench.api.spi.ModelFamilyProvider;
import org.modelbench.app.manifest.Augmentation;
import org.modelbench.app.plugins.PluginRegistry;

class ImageAugmenterTest {

    static Augmentation augmentation(Map<String, Object> spec) {
        return RecordBinder.bind(spec, Augmentation.class, "augmentation");
    }

    static Tensor images(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * 2 * 10 * 10];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble();
        }
        return Tensor.of(Shape.of(n, 2, 10, 10), x);
    }

    @Test
    void sameSeedSameBatchesOtherSeedOthers() {
        ImageAugmenter a = new ImageAugmenter(augmentation(Map.of("maxShift", 2, "maxRotation", 15, "maxZoom", 0.1,
                "horizontalFlip", true)), new float[] {0f, -1f});
        Tensor x = images(6, 1);
        Tensor before = x.copy();
        Tensor y = a.augment(x, 42);
        assertEquals(before, x, "the input is left alone");
        assertEquals(y, a.augment(x, 42), "bit-identical for a seed");
        assertEquals(y, new ImageAugmenter(augmentation(Map.of("maxShift", 2, "maxRotation", 15, "maxZoom", 0.1,
                "horizontalFlip", true)), new float[] {0f, -1f}).augment(x.copy(), 42), "and for a new augmenter");
        assertNotEquals(y, a.augment(x, 43));
        assertNotEquals(x, y);
        RunContext c = RunContext.of(9);
        assertNotEquals(c.augmentationSeed(1, 0), c.augmentationSeed(2, 0));
        assertNotEquals(c.augmentationSeed(1, 0), c.augmentationSeed(1, 1));
        assertEquals(c.augmentationSeed(3, 4), RunContext.of(9).withThreads(1).augmentationSeed(3, 4));
    }

    @Test
    void shiftsMovePixelsExactlyAndFillWithTheChannelsZero() {
        ImageAugmenter a = new ImageAugmenter(augmentation(Map.of("maxShift", 3)), new float[] {-5f, -7f});
        Tensor x = images(20, 2);
        float[] y = a.augment(x, 7).data();
        float[] src = x.data();
        int moved = 0;
        for (int i = 0; i < 20; i++) {
            // find the shift that explains the image: every pixel is a source pixel or the fill
            boolean found = false;
            for (int dy = -3; dy <= 3 && !found; dy++) {
                for (int dx = -3; dx <= 3 && !found; dx++) {
                    boolean all = true;
                    for (int c = 0; c < 2 && all; c++) {
                        for (int r = 0; r < 10 && all; r++) {
                            for (int q = 0; q < 10 && all; q++) {
                                int sr = r - dy;
                                int sq = q - dx;
                                float expected = sr < 0 || sr >= 10 || sq < 0 || sq >= 10 ? (c == 0 ? -5f : -7f)
                                        : src[((i * 2 + c) * 10 + sr) * 10 + sq];
                                all = y[((i * 2 + c) * 10 + r) * 10 + q] == expected;
                            }
                        }
                    }
                    if (all) {
                        found = true;
                        moved += dx != 0 || dy != 0 ? 1 : 0;
                    }
                }
            }
            assertTrue(found, "image " + i + " is a whole-pixel shift");
        }
        assertTrue(moved >= 15, "most images move: " + moved);
    }

    @Test
    void flipsMirrorAboutHalfTheImages() {
        ImageAugmenter a = new ImageAugmenter(augmentation(Map.of("horizontalFlip", true)), new float[] {0f, 0f});
        Tensor x = images(40, 3);
        float[] y = a.augment(x, 11).data();
        int flipped = 0;
        for (int i = 0; i < 40; i++) {
            float[] original = new float[200];
            float[] mirrored = new float[200];
            float[] got = new float[200];
            System.arraycopy(x.data(), i * 200, original, 0, 200);
            System.arraycopy(y, i * 200, got, 0, 200);
            for (int p = 0; p < 200; p++) {
                mirrored[p] = original[(p / 10) * 10 + 9 - p % 10];
            }
            boolean isMirror = java.util.Arrays.equals(got, mirrored);
            assertTrue(isMirror || java.util.Arrays.equals(got, original), "image " + i);
            flipped += isMirror ? 1 : 0;
        }
        assertTrue(flipped > 10 && flipped < 30, "about half flipped: " + flipped);
    }

    @Test
    void rotationAndZoomKeepAConstantImageConstantInside() {
        ImageAugmenter a = new ImageAugmenter(augmentation(Map.of("maxRotation", 30, "maxZoom", 0.2)),
                new float[] {0f, 0f});
        float[] ones = new float[4 * 200];
        java.util.Arrays.fill(ones, 1f);
        float[] y = a.augment(Tensor.of(Shape.of(4, 2, 10, 10), ones), 5).data();
        for (int i = 0; i < 4; i++) {
            // the centre pixel stays inside the image for any rotation and a zoom of at most 20%
            assertEquals(1f, y[i * 200 + 4 * 10 + 4], 1e-6);
        }
        assertThrows(InvalidInputException.class, () -> a.augment(Tensor.zeros(Shape.of(2, 3, 4, 4)), 1));
    }

    @Test
    void manifestSettingsValidateAndKeepTheOldShiftSpelling() {
        Augmentation legacy = augmentation(Map.of("type", "shift"));
        assertEquals(2, legacy.maxShift());
        assertTrue(legacy.enabled());
        assertEquals(Augmentation.Type.RANDOM, augmentation(Map.of("maxRotation", 10)).type());
        assertEquals(Augmentation.Type.NONE, augmentation(Map.of()).type());
        ConfigException e = assertThrows(ConfigException.class, () -> augmentation(Map.of("maxZoom", 2)));
        assertTrue(e.getMessage().contains("maxZoom"), e.getMessage());
        assertThrows(ConfigException.class, () -> augmentation(Map.of("type", "random")));
        assertThrows(ConfigException.class, () -> augmentation(Map.of("type", "none", "maxShift", 1)));
    }

    /** The engine trainer asks for one augmented batch per (epoch, batch) with the context's seeds, and trains the same twice. */
    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void theEngineAugmentsEveryBatchOfEveryEpochDeterministically() {
        PluginRegistry registry = PluginRegistry.load(Path.of("no-plugins-here"), w -> { });
        ModelFamilyProvider family = registry.requireFamily("logreg");
        Record config = registry.bindConfig("logreg", Map.of("epochs", 2, "batchSize", 10), "params");
        Trainer trainer = family.trainer(config, registry.context());
        assertTrue(trainer.appliesAugmentation());
        int[] labels = new int[25];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 2;
        }
        Dataset data = new Dataset("toy", images(25, 4), labels, List.of("a", "b"), Map.of());
        ImageAugmenter augmenter = new ImageAugmenter(augmentation(Map.of("maxShift", 1, "horizontalFlip", true)),
                new float[] {0f, 0f});
        List<Long> seeds = new ArrayList<>();
        RunContext context = new RunContext(3, 1, List.of(), Path.of("."), (batch, seed) -> {
            seeds.add(seed);
            return augmenter.augment(batch, seed);
        });
        Model first = trainer.train(data, Optional.empty(), context);
        List<Long> expected = new ArrayList<>();
        for (int epoch = 1; epoch <= 2; epoch++) {
            for (int b = 0; b < 3; b++) {
                expected.add(context.augmentationSeed(epoch, b));
            }
        }
        assertEquals(expected, seeds);
        Model second = trainer.train(data, Optional.empty(), context.withThreads(2));
        Model plain = trainer.train(data, Optional.empty(), context.withAugmenter(null));
        Tensor probe = images(5, 8);
        assertArrayEquals(first.predictProbabilities(probe).data(), second.predictProbabilities(probe).data());
        assertNotEquals(first.predictProbabilities(probe), plain.predictProbabilities(probe));
    }
}
