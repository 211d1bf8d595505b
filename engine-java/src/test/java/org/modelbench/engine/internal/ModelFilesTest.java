package org.modelbench.engine.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.api.DataFormatException;
import org.modelbench.api.Dataset;
import org.modelbench.api.Model;
import org.modelbench.api.RecordBinder;
import org.modelbench.api.RunContext;
import org.modelbench.api.Tensor;
import org.modelbench.api.spi.ProviderContext;
import org.modelbench.engine.config.CnnConfig;

class ModelFilesTest {
    @TempDir
    Path dir;

    /** A small trained network with conv, batchnorm (state), pooling, dropout and dense layers. */
    static Model trained() {
        CnnConfig config = FamiliesTest.cnn(List.of(
                Map.of("type", "conv2d", "filters", 4, "kernel", List.of(3, 2), "stride", 2, "padding", "same"),
                Map.of("type", "batchnorm"),
                Map.of("type", "leaky-relu", "alpha", 0.1),
                Map.of("type", "avgpool2d", "pool", 2),
                Map.of("type", "flatten"),
                Map.of("type", "dropout", "rate", 0.1),
                Map.of("type", "dense", "units", 10, "activation", "softmax", "l2", 1e-4)),
                Map.of("epochs", 1, "batchSize", 50));
        return new Families.Cnn().trainer(config, ProviderContext.empty()).train(MnistSubsets.train(200), RunContext.of(11).withThreads(1));
    }

    @Test
    void reloadPredictsBitIdentically() {
        Model model = trained();
        model.save(dir);
        Model loaded = new Families.Cnn().load(dir, ProviderContext.empty());
        Tensor batch = MnistSubsets.test(64).features();
        assertArrayEquals(model.predictProbabilities(batch).data(), loaded.predictProbabilities(batch).data());
        assertEquals(model.summary(), loaded.summary());
        assertEquals(model.provenance().config(), loaded.provenance().config());
        assertEquals(model.classNames(), loaded.classNames());
    }

    @Test
    void truncatedCorruptedOrNewerFilesFailClearly() throws IOException {
        trained().save(dir);
        Path weights = dir.resolve("weights.safetensors");
        byte[] good = Files.readAllBytes(weights);

        Files.write(weights, java.util.Arrays.copyOf(good, good.length - 10));
        DataFormatException truncated = assertThrows(DataFormatException.class, () -> new Families.Cnn().load(dir, ProviderContext.empty()));
        assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());

        byte[] flipped = good.clone();
        flipped[flipped.length - 7] ^= 0x40;
        Files.write(weights, flipped);
        DataFormatException corrupted = assertThrows(DataFormatException.class, () -> new Families.Cnn().load(dir, ProviderContext.empty()));
        assertTrue(corrupted.getMessage().contains("corrupted"), corrupted.getMessage());

        Files.write(weights, good);
        Path arch = dir.resolve("architecture.json");
        String json = Files.readString(arch);
        Files.writeString(arch, json.replace("\"formatVersion\" : 1", "\"formatVersion\" : 7"));
        DataFormatException newer = assertThrows(DataFormatException.class, () -> new Families.Cnn().load(dir, ProviderContext.empty()));
        assertTrue(newer.getMessage().contains("unknown format version 7"), newer.getMessage());

        Files.writeString(arch, json.substring(0, json.length() / 2));
        assertThrows(DataFormatException.class, () -> new Families.Cnn().load(dir, ProviderContext.empty()));

        Files.writeString(arch, json);
        Files.writeString(dir.resolve("modelbench-model.properties"), "family=cnn\nformat-version=2\n");
        DataFormatException header = assertThrows(DataFormatException.class, () -> new Families.Cnn().load(dir, ProviderContext.empty()));
        assertTrue(header.getMessage().contains("newer than this build reads"), header.getMessage());
        assertThrows(DataFormatException.class, () -> new Families.Mlp().load(dir, ProviderContext.empty()));
    }

    @Test
    void safetensorsHeaderIsValidated() {
        byte[] bytes = Safetensors.write(Map.of("w", Tensor.of(org.modelbench.api.Shape.of(2), new float[] {1f, 2f})));
        assertEquals(Map.of("w", Tensor.of(org.modelbench.api.Shape.of(2), new float[] {1f, 2f})).toString(),
                Safetensors.read(bytes, dir).toString());
        bytes[0] = (byte) 0xFF;
        DataFormatException e = assertThrows(DataFormatException.class, () -> Safetensors.read(bytes, dir));
        assertTrue(e.getMessage().contains("header length"), e.getMessage());
    }

    @Test
    void untrainedPresetSavesToo() {
        Model m = new Families.Lenet5().initialModel(RecordBinder.bind(Map.of(), org.modelbench.engine.config.PresetConfig.class,
                ""), org.modelbench.api.Shape.of(1, 28, 28), 10, 3, ProviderContext.empty()).orElseThrow();
        m.save(dir);
        Model loaded = new Families.Lenet5().load(dir, ProviderContext.empty());
        Dataset test = MnistSubsets.test(8);
        assertArrayEquals(m.predictProbabilities(test.features()).data(), loaded.predictProbabilities(test.features()).data());
    }
}
