package org.modelbench.bench.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.engine.graph.Network;
import org.modelbench.onnx.export.OnnxExport;

class FineTuneBenchTest {

    @Test
    void anEpochTrainsEveryParameterOfTheSuffixAndLowersTheLoss(@TempDir Path dir) throws Exception {
        // the seed CNN exported to ONNX stands in for a suffix: convolutions, pooling, dense layers
        Network network = SeedCnnWorkload.network(3);
        Path onnx = dir.resolve("suffix.onnx");
        Files.write(onnx, OnnxExport.toOnnx(network));
        FineTuneBench bench = new FineTuneBench(onnx, 32, 8, 2);
        double before = bench.meanLoss();
        float[] first = bench.firstWeights();
        assertEquals(32, bench.epoch());
        assertTrue(!java.util.Arrays.equals(first, bench.firstWeights()), "SGD changed no weight");
        for (int e = 0; e < 4; e++) {
            bench.epoch();
        }
        double after = bench.meanLoss();
        assertTrue(after < before, "the loss on the training samples went from " + before + " to " + after);
    }

    @Test
    void weightsAreTheSameBitsForOneAndTwoThreads(@TempDir Path dir) throws Exception {
        Path onnx = dir.resolve("suffix.onnx");
        Files.write(onnx, OnnxExport.toOnnx(SeedCnnWorkload.network(5)));
        FineTuneBench one = new FineTuneBench(onnx, 32, 16, 1);
        FineTuneBench two = new FineTuneBench(onnx, 32, 16, 2);
        for (int e = 0; e < 2; e++) {
            one.epoch();
            two.epoch();
        }
        List<float[]> a = one.weights();
        List<float[]> b = two.weights();
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(a.get(i), b.get(i), "parameter " + i);
        }
    }

    @Test
    void rejectsFewerSamplesThanOneBatch() {
        StringWriter err = new StringWriter();
        assertEquals(2, BenchCli.execute(List.of("--finetune", "--finetune-samples", "4", "--finetune-batch", "8"),
                new PrintWriter(new StringWriter()), new PrintWriter(err)));
        assertTrue(err.toString().contains("--finetune-samples 4 is smaller than --finetune-batch 8"), err.toString());
    }
}
