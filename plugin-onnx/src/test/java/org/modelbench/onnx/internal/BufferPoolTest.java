package org.modelbench.onnx.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.modelbench.onnx.internal.OnnxGraphBuilder.ints;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Inference passes recycle dead activations: a pass's outputs stay intact through later passes, a
 * value that shares its array with a live one (Identity, Flatten) is not recycled, and a graph with
 * a history of passes computes what a fresh one does.
 */
class BufferPoolTest {

    private static float[] random(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    private static NativeGraph graph() {
        SplittableRandom r = new SplittableRandom(11);
        OnnxGraphBuilder b = new OnnxGraphBuilder("pool", 13);
        String x = b.input("x", 2, 4, 16, 16);
        String c1 = b.node("Conv", "c1", List.of(x, b.floats("w1", new int[] {8, 4, 3, 3}, random(r, 288))),
                ints("pads", 1, 1, 1, 1));
        String same = b.node("Identity", "same", List.of(c1));
        String c2 = b.node("Conv", "c2", List.of(same, b.floats("w2", new int[] {8, 8, 3, 3}, random(r, 576))),
                ints("pads", 1, 1, 1, 1));
        String sum = b.node("Add", "sum", List.of(c2, same));
        String pooled = b.node("MaxPool", "pool", List.of(sum), ints("kernel_shape", 3, 3), ints("strides", 2, 2),
                ints("pads", 1, 1, 1, 1));
        String c3 = b.node("Conv", "c3", List.of(pooled, b.floats("w3", new int[] {8, 8, 1, 1}, random(r, 64))));
        b.output(b.node("Flatten", "flat", List.of(c3)));
        return OnnxImporter.importModel(OnnxModelFile.of(Path.of("pool.onnx"), b.build("test")));
    }

    @Test
    void recycledArraysNeverReachALiveValueOrAnEarlierOutput() {
        NativeGraph used = graph();
        SplittableRandom r = new SplittableRandom(2);
        float[] first = null;
        float[] firstCopy = null;
        for (int pass = 0; pass < 4; pass++) {
            Map<String, Value> feeds = Map.of("x", Value.floats(new int[] {2, 4, 16, 16}, random(r, 2 * 4 * 256)));
            float[] got = used.run(feeds, List.of(), 2).values().iterator().next().floatData();
            float[] fresh = graph().run(feeds, List.of(), 1).values().iterator().next().floatData();
            assertArrayEquals(fresh, got, "pass " + pass);
            if (first == null) {
                first = got;
                firstCopy = got.clone();
            }
        }
        assertArrayEquals(firstCopy, first, "the first pass's output after three more passes");
    }
}
