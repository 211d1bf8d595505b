package org.modelbench.examples.hello;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.api.ConfigException;
import org.modelbench.api.DataShape;
import org.modelbench.api.DataFormatException;
import org.modelbench.api.Dataset;
import org.modelbench.api.Evaluation;
import org.modelbench.api.Model;
import org.modelbench.api.RecordBinder;
import org.modelbench.api.RunContext;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.api.spi.ProviderContext;

class NearestCentroidTest {

    /** Two Gaussian-ish blobs in 2-D, made deterministically. */
    private static Dataset blobs(int n, long seed) {
        java.util.Random random = new java.util.Random(seed);
        float[] x = new float[n * 2];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            x[2 * i] = (float) (random.nextGaussian() + (y[i] == 0 ? -2 : 2));
            x[2 * i + 1] = (float) random.nextGaussian();
        }
        return new Dataset("blobs", Tensor.of(Shape.of(n, 2), x), y, List.of("left", "right"), Map.of());
    }

    @Test
    void learnsSeparableClassesAndSurvivesSaveAndReload(@TempDir Path dir) {
        var provider = new NearestCentroidProvider();
        Model model = provider.trainer(new NearestCentroidConfig(null), ProviderContext.empty()).train(blobs(400, 1), RunContext.of(7));
        Dataset test = blobs(400, 2);
        double accuracy = Evaluation.of(model, test, 64).accuracy();
        assertTrue(accuracy > 0.95, "accuracy " + accuracy);
        model.save(dir);
        Model reloaded = provider.load(dir, ProviderContext.empty());
        assertArrayEquals(model.predictProbabilities(test.features()).data(),
                reloaded.predictProbabilities(test.features()).data());
        assertEquals(4, reloaded.parameterCount());
    }

    @Test
    void configBindsAndValidates() {
        assertEquals(10.0, RecordBinder.bind(Map.of(), NearestCentroidConfig.class, "params").sharpness());
        var e = assertThrows(ConfigException.class,
                () -> RecordBinder.bind(Map.of("sharpness", -1), NearestCentroidConfig.class, "params"));
        assertEquals("params.sharpness: expected a finite number > 0, got -1.0", e.getMessage());
    }

    @Test
    void truncatedCentroidsAreRejected(@TempDir Path dir) throws Exception {
        var provider = new NearestCentroidProvider();
        provider.trainer(new NearestCentroidConfig(2.0), ProviderContext.empty()).train(blobs(50, 3), RunContext.of(1)).save(dir);
        Path file = dir.resolve(NearestCentroidModel.CENTROIDS);
        Files.write(file, java.util.Arrays.copyOf(Files.readAllBytes(file), 10));
        var e = assertThrows(DataFormatException.class, () -> provider.load(dir, ProviderContext.empty()));
        assertTrue(e.getMessage().contains("expected 16 bytes"), e.getMessage());
    }

    @Test
    void theManifestCheckNeedsATrainingRowPerClass() {
        var provider = new NearestCentroidProvider();
        NearestCentroidConfig config = new NearestCentroidConfig(null);
        provider.check(config, new DataShape(Shape.of(2), 10, 10), ProviderContext.empty());
        var e = assertThrows(org.modelbench.api.InvalidInputException.class,
                () -> provider.check(config, new DataShape(Shape.of(2), 10, 9), ProviderContext.empty()));
        assertEquals("hello-nearest-centroid needs at least one training row per class: 10 classes but 9 training rows",
                e.getMessage());
    }
}
