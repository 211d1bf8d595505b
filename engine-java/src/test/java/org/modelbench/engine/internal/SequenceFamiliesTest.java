package org.modelbench.engine.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.api.DataShape;
import org.modelbench.api.Dataset;
import org.modelbench.api.Evaluation;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.Model;
import org.modelbench.api.ModelSummary;
import org.modelbench.api.Parameter;
import org.modelbench.api.RecordBinder;
import org.modelbench.api.RunContext;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.api.spi.ProviderContext;
import org.modelbench.engine.config.Cnn1DConfig;
import org.modelbench.engine.config.CnnConfig;
import org.modelbench.engine.config.LogRegConfig;
import org.modelbench.engine.config.MlpConfig;
import org.modelbench.engine.config.PresetConfig;

/**
 * The 1-d layers and the {@code cnn1d} preset on real sequences (MNIST digits read row by row: 28
 * channels, one per image row, of 28 steps), and which families fit which sample shapes.
 */
class SequenceFamiliesTest {
    @TempDir
    Path dir;

    /** MNIST rows as sequences {@code [28, 28]}: channel {@code r} is image row {@code r}, read left to right. */
    static Dataset sequences(Dataset images) {
        Shape s = images.sampleShape();
        return images.withFeatures(images.features().reshape(Shape.of(s.dim(1), s.dim(2)).withBatch(images.size())));
    }

    /** The same digits as table rows of 784 features. */
    static Dataset table(Dataset images) {
        return images.withFeatures(images.features().reshape(Shape.of(images.sampleShape().size()).withBatch(images.size())));
    }

    static Cnn1DConfig cnn1d(Map<String, Object> params) {
        return RecordBinder.bind(params, Cnn1DConfig.class, "params");
    }

    @Test
    void cnn1dLearnsDigitsReadAsSequences() {
        Dataset train = sequences(MnistSubsets.train(2000));
        Dataset test = sequences(MnistSubsets.test(1000));
        Cnn1DConfig config = cnn1d(Map.of("epochs", 8, "optimizer",
                Map.of("type", "adam", "learningRate", 0.003)));
        Model model = new Families.Cnn1d().trainer(config, ProviderContext.empty()).train(train, RunContext.of(5));
        double accuracy = Evaluation.of(model, test, 500).accuracy();
        assertTrue(accuracy >= 0.85, "cnn1d accuracy on 1000 test digits as 28x28 sequences: " + accuracy);
    }

    @Test
    void cnn1dSummaryFollowsTheShapeContract() {
        Model model = new Families.Cnn1d().initialModel(Cnn1DConfig.defaults(), Shape.of(3, 100), 5, 1, ProviderContext.empty()).orElseThrow();
        List<String> rows = model.summary().rows().stream()
                .map(r -> r.name() + " " + r.outputShape() + " " + r.parameters()).toList();
        assertEquals(List.of("conv1d_1 32x100 512", "maxpool1d_1 32x50 0", "conv1d_2 64x50 10304",
                "maxpool1d_2 64x25 0", "global-avgpool_1 64 0", "dense_1 5 325"), rows);
        assertTrue(model.summary().rows().stream().allMatch(ModelSummary.Row::trainable));
    }

    @Test
    void sameSeedGivesBitIdenticalWeightsForOneAndTwoThreads() {
        Dataset train = sequences(MnistSubsets.train(160));
        CnnConfig config = FamiliesTest.cnn(List.of(
                Map.of("type", "conv1d", "filters", 12, "kernel", 5, "stride", 2, "padding", "same", "activation", "relu"),
                Map.of("type", "batchnorm"),
                Map.of("type", "conv1d", "filters", 12, "kernel", 3, "dilation", 2, "groups", 3, "activation", "tanh"),
                Map.of("type", "avgpool1d", "pool", 3, "stride", 2, "padding", "same"),
                Map.of("type", "maxpool1d", "pool", 2),
                Map.of("type", "dropout", "rate", 0.2),
                Map.of("type", "global-avgpool"),
                Map.of("type", "dense", "units", 10, "activation", "softmax")),
                Map.of("epochs", 2, "batchSize", 32));
        Model one = new Families.Cnn().trainer(config, ProviderContext.empty()).train(train, RunContext.of(7).withThreads(1));
        Model two = new Families.Cnn().trainer(config, ProviderContext.empty()).train(train, RunContext.of(7).withThreads(2));
        List<Parameter> p1 = ((EngineModel) one).network().parameters();
        List<Parameter> p2 = ((EngineModel) two).network().parameters();
        assertEquals(p1.size(), p2.size());
        for (int i = 0; i < p1.size(); i++) {
            assertArrayEquals(p1.get(i).value().data(), p2.get(i).value().data(), "parameter " + i);
        }
        Model other = new Families.Cnn().trainer(config, ProviderContext.empty()).train(train, RunContext.of(8).withThreads(2));
        assertFalse(java.util.Arrays.equals(p1.get(0).value().data(),
                ((EngineModel) other).network().parameters().get(0).value().data()));
    }

    @Test
    void reloadedCnn1dPredictsBitIdentically() {
        Dataset train = sequences(MnistSubsets.train(200));
        Cnn1DConfig config = cnn1d(Map.of("filters", List.of(8), "kernel", 3, "dropout", 0.1, "epochs", 1));
        Model model = new Families.Cnn1d().trainer(config, ProviderContext.empty()).train(train, RunContext.of(2).withThreads(1));
        model.save(dir);
        Model loaded = new Families.Cnn1d().load(dir, ProviderContext.empty());
        Tensor batch = sequences(MnistSubsets.test(64)).features();
        assertArrayEquals(model.predictProbabilities(batch).data(), loaded.predictProbabilities(batch).data());
        assertEquals(model.summary(), loaded.summary());
        assertEquals(model.provenance().config(), loaded.provenance().config());
    }

    /**
     * A conv1d model saved by the first version of these layers (test resources) still loads and
     * predicts what it predicted then (to 1e-5: a faster kernel may round differently).
     */
    @Test
    void savedCnn1dOfFormatVersionOneStillPredictsTheSame() throws Exception {
        Path saved = Path.of(getClass().getResource("/models/cnn1d-v1/architecture.json").toURI()).getParent();
        Model loaded = new Families.Cnn().load(saved, ProviderContext.empty());
        assertEquals(Shape.of(28, 28), loaded.sampleShape());
        List<String> expected = java.nio.file.Files.readAllLines(saved.resolveSibling("cnn1d-v1-expected.txt"));
        float[] p = loaded.predictProbabilities(sequences(MnistSubsets.test(4)).features()).data();
        assertEquals(expected.size(), p.length);
        for (int i = 0; i < p.length; i++) {
            float then = Float.intBitsToFloat(Integer.parseInt(expected.get(i).trim()));
            assertEquals(then, p[i], 1e-5, "probability " + i);
        }
    }

    @Test
    void imageFamiliesOnTablesSayWhichModelAndShape() {
        Shape row = Shape.of(4);
        InvalidInputException seed = assertThrows(InvalidInputException.class,
                () -> new Families.SeedCnn().check(PresetConfig.defaults(), new DataShape(row, 3, 100), ProviderContext.empty()));
        assertEquals("model seed-cnn needs image samples [channels, height, width], but the data's samples are 4 "
                + "(a table row of 4 features); for tables use logreg, mlp or a tribuo family", seed.getMessage());
        InvalidInputException flatImage = assertThrows(InvalidInputException.class,
                () -> new Families.SeedCnn().check(PresetConfig.defaults(), new DataShape(Shape.of(1, 1, 4), 3, 100), ProviderContext.empty()));
        assertEquals("model seed-cnn, layer 1 (conv2d): kernel 3x3 is larger than its 1x4 input", flatImage.getMessage());
        CnnConfig conv = FamiliesTest.cnn(List.of(Map.of("type", "conv2d", "filters", 4, "kernel", 3),
                Map.of("type", "flatten"), Map.of("type", "dense", "units", 3)), Map.of());
        InvalidInputException cnn = assertThrows(InvalidInputException.class,
                () -> new Families.Cnn().check(conv, new DataShape(row, 3, 100), ProviderContext.empty()));
        assertEquals("model cnn, layer 1 (conv2d): expected a channels x height x width input, got 4 (the data's "
                + "samples are 4 (a table row of 4 features))", cnn.getMessage());
        InvalidInputException sequence = assertThrows(InvalidInputException.class,
                () -> new Families.Cnn1d().check(Cnn1DConfig.defaults(), new DataShape(Shape.of(1, 28, 28), 10, 100), ProviderContext.empty()));
        assertEquals("model cnn1d needs sequence samples [channels, length], but the data's samples are 1x28x28 "
                + "(an image: channels x height x width)", sequence.getMessage());
        new Families.Cnn1d().check(Cnn1DConfig.defaults(), new DataShape(Shape.of(28, 28), 10, 100), ProviderContext.empty());
    }

    @Test
    void logregAndMlpLearnTableRows() {
        Dataset train = table(MnistSubsets.train(1000));
        Dataset test = table(MnistSubsets.test(500));
        new Families.LogReg().check(RecordBinder.bind(Map.of(), LogRegConfig.class, ""), new DataShape(train.sampleShape(), 10, 100), ProviderContext.empty());
        Model logreg = new Families.LogReg().trainer(RecordBinder.bind(Map.of("epochs", 10, "batchSize", 32,
                "optimizer", Map.of("type", "adam", "learningRate", 0.003)), LogRegConfig.class, ""), ProviderContext.empty()).train(train,
                RunContext.of(1));
        Model mlp = new Families.Mlp().trainer(RecordBinder.bind(Map.of("hidden", List.of(64), "epochs", 10, "batchSize", 32),
                MlpConfig.class, ""), ProviderContext.empty()).train(train, RunContext.of(1));
        double logregAccuracy = Evaluation.of(logreg, test, 500).accuracy();
        double mlpAccuracy = Evaluation.of(mlp, test, 500).accuracy();
        assertTrue(logregAccuracy >= 0.8, "logreg on 784-feature rows: " + logregAccuracy);
        assertTrue(mlpAccuracy >= 0.85, "mlp on 784-feature rows: " + mlpAccuracy);
        // table rows need no flatten layer
        assertEquals(List.of("dense"), logreg.summary().rows().stream().map(ModelSummary.Row::type).toList());
    }
}
