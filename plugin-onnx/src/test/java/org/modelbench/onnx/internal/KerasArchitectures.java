package org.modelbench.onnx.internal;

import static org.modelbench.onnx.internal.OnnxGraphBuilder.f;
import static org.modelbench.onnx.internal.OnnxGraphBuilder.i;
import static org.modelbench.onnx.internal.OnnxGraphBuilder.ints;
import static org.modelbench.onnx.internal.OnnxGraphBuilder.s;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Keras-application architectures as tf2onnx lays them out (NHWC input, a Transpose to NCHW, NCHW
 * convolutions, a Transpose back for feature outputs), with random He-initialised weights. Test
 * material made by the project: nothing is downloaded.
 */
final class KerasArchitectures {
    private final OnnxGraphBuilder b;
    private final SplittableRandom random;

    private KerasArchitectures(String name, int opset, long seed) {
        this.b = new OnnxGraphBuilder(name, opset);
        this.random = new SplittableRandom(seed);
    }

    private float[] he(int n, int fanIn) {
        float[] w = new float[n];
        double std = Math.sqrt(2.0 / fanIn);
        for (int k = 0; k < n; k++) {
            w[k] = (float) (random.nextGaussian() * std);
        }
        return w;
    }

    private float[] uniform(int n, double lo, double hi) {
        float[] w = new float[n];
        for (int k = 0; k < n; k++) {
            w[k] = (float) random.nextDouble(lo, hi);
        }
        return w;
    }

    private String conv(String name, String x, int in, int out, int k, int stride, int group, int[] pads, boolean bias) {
        int cg = in / group;
        String w = b.floats(name + "/kernel", new int[] {out, cg, k, k}, he(out * cg * k * k, cg * k * k));
        List<String> inputs = bias ? List.of(x, w, b.floats(name + "/bias", new int[] {out}, uniform(out, -0.1, 0.1)))
                : List.of(x, w);
        return b.node("Conv", name, inputs, ints("kernel_shape", k, k), ints("strides", stride, stride),
                ints("dilations", 1, 1), i("group", group), ints("pads", pads[0], pads[1], pads[2], pads[3]));
    }

    private String batchNorm(String name, String x, int c) {
        return b.node("BatchNormalization", name, List.of(x,
                        b.floats(name + "/gamma", new int[] {c}, uniform(c, 0.8, 1.2)),
                        b.floats(name + "/beta", new int[] {c}, uniform(c, -0.1, 0.1)),
                        b.floats(name + "/moving_mean", new int[] {c}, uniform(c, -0.1, 0.1)),
                        b.floats(name + "/moving_variance", new int[] {c}, uniform(c, 0.5, 1.5))),
                f("epsilon", 1.001e-5f));
    }

    private String relu6(String name, String x) {
        String lo = b.initializer(name + "/min", Value.floats(new int[0], new float[] {0f}));
        String hi = b.initializer(name + "/max", Value.floats(new int[0], new float[] {6f}));
        return b.node("Clip", name, List.of(x, lo, hi));
    }

    private static int[] same(int k) {
        int p = k / 2;
        return new int[] {p, p, p, p};
    }

    private static final int[] VALID = {0, 0, 0, 0};

    /** VGG16 without its top at {@code size x size x 3}, NHWC in and out: 14,714,688 parameters. */
    static ModelProto vgg16NoTop(int size, long seed) {
        KerasArchitectures a = new KerasArchitectures("vgg16", 13, seed);
        OnnxGraphBuilder b = a.b;
        String x = b.input("input_1", -1, size, size, 3);
        x = b.node("Transpose", "vgg16/block1_conv1/Conv2D__6", List.of(x), ints("perm", 0, 3, 1, 2));
        int[][] blocks = {{64, 64}, {128, 128}, {256, 256, 256}, {512, 512, 512}, {512, 512, 512}};
        int in = 3;
        for (int blk = 0; blk < blocks.length; blk++) {
            for (int c = 0; c < blocks[blk].length; c++) {
                String name = "vgg16/block" + (blk + 1) + "_conv" + (c + 1);
                x = a.conv(name + "/Conv2D", x, in, blocks[blk][c], 3, 1, 1, same(3), true);
                x = b.node("Relu", name + "/Relu", List.of(x));
                in = blocks[blk][c];
            }
            x = b.node("MaxPool", "vgg16/block" + (blk + 1) + "_pool/MaxPool", List.of(x), ints("kernel_shape", 2, 2),
                    ints("strides", 2, 2));
        }
        x = b.node("Transpose", "vgg16/block5_pool/MaxPool__60", List.of(x), ints("perm", 0, 2, 3, 1));
        b.output(x);
        return b.build("tf2onnx-layout test generator");
    }

    /**
     * MobileNetV2 (alpha 1.0, all 17 inverted-residual blocks) at {@code size x size x 3}, NHWC input,
     * BatchNormalization folded into Conv as tf2onnx does, ReLU6 as Clip with min/max inputs,
     * ZeroPadding2D as Pad whose pads come from a constant sub-graph, global average pooling as
     * ReduceMean, and a Dense classifier as MatMul + Add + Softmax.
     */
    static ModelProto mobileNetV2(int size, int classes, long seed) {
        KerasArchitectures a = new KerasArchitectures("mobilenetv2_1.00", 13, seed);
        OnnxGraphBuilder b = a.b;
        String x = b.input("input_1", -1, size, size, 3);
        x = b.node("Transpose", "Conv1/Conv2D__7", List.of(x), ints("perm", 0, 3, 1, 2));
        x = a.zeroPad("Conv1_pad", x);
        x = a.conv("Conv1/Conv2D", x, 3, 32, 3, 2, 1, VALID, true);
        x = a.relu6("Conv1_relu/Relu6", x);
        int[][] settings = {{1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2},
                {6, 320, 1, 1}};
        int in = 32;
        int block = 0;
        for (int[] s : settings) {
            for (int r = 0; r < s[2]; r++) {
                int stride = r == 0 ? s[3] : 1;
                String prefix = block == 0 ? "expanded_conv_" : "block_" + block + "_";
                String y = x;
                int hidden = in * s[0];
                if (s[0] != 1) {
                    y = a.conv(prefix + "expand/Conv2D", y, in, hidden, 1, 1, 1, VALID, true);
                    y = a.relu6(prefix + "expand_relu/Relu6", y);
                }
                if (stride == 2) {
                    y = a.zeroPad(prefix + "pad", y);
                    y = a.conv(prefix + "depthwise/depthwise", y, hidden, hidden, 3, 2, hidden, VALID, true);
                } else {
                    y = a.conv(prefix + "depthwise/depthwise", y, hidden, hidden, 3, 1, hidden, same(3), true);
                }
                y = a.relu6(prefix + "depthwise_relu/Relu6", y);
                y = a.conv(prefix + "project/Conv2D", y, hidden, s[1], 1, 1, 1, VALID, true);
                if (stride == 1 && in == s[1]) {
                    y = b.node("Add", prefix + "add/add", List.of(x, y));
                }
                x = y;
                in = s[1];
                block++;
            }
        }
        x = a.conv("Conv_1/Conv2D", x, in, 1280, 1, 1, 1, VALID, true);
        x = a.relu6("out_relu/Relu6", x);
        x = b.node("ReduceMean", "global_average_pooling2d/Mean", List.of(x), ints("axes", 2, 3), i("keepdims", 0));
        String w = b.floats("predictions/MatMul/ReadVariableOp:0", new int[] {1280, classes}, a.he(1280 * classes, 1280));
        x = b.node("MatMul", "predictions/MatMul", List.of(x, w));
        x = b.node("Add", "predictions/BiasAdd", List.of(x, b.floats("predictions/bias", new int[] {classes},
                a.uniform(classes, -0.1, 0.1))));
        x = b.node("Softmax", "predictions/Softmax", List.of(x), i("axis", -1));
        b.output(x);
        return b.build("tf2onnx-layout test generator");
    }

    /** Keras' correct_pad for stride 2 on even inputs: ((0, 1), (0, 1)), with pads computed from constants. */
    private String zeroPad(String name, String x) {
        String begin = b.node("Constant", name + "/begin", List.of(),
                OnnxGraphBuilder.tensor("value", Value.longs(new int[] {4}, new long[] {0, 0, 0, 0}, Value.INT32)));
        String end = b.node("Constant", name + "/end", List.of(),
                OnnxGraphBuilder.tensor("value", Value.longs(new int[] {4}, new long[] {0, 0, 1, 1}, Value.INT32)));
        String pads = b.node("Concat", name + "/pads", List.of(begin, end), i("axis", 0));
        pads = b.node("Cast", name + "/pads_int64", List.of(pads), i("to", Value.INT64));
        return b.node("Pad", name + "/Pad", List.of(x, pads), s("mode", "constant"));
    }

    /**
     * A ResNet-style network at {@code size x size x 3}: a 7x7/2 stem with standalone
     * BatchNormalization, 3x3/2 max pooling, two bottleneck blocks (the first with a projection
     * shortcut) with residual adds, global average pooling, a flatten whose target shape is computed
     * at run time (Shape, Gather, Unsqueeze, Concat, Reshape) and a Gemm classifier with Softmax.
     */
    static ModelProto resnetBlocks(int size, int classes, long seed) {
        KerasArchitectures a = new KerasArchitectures("resnet_blocks", 13, seed);
        OnnxGraphBuilder b = a.b;
        String x = b.input("input_1", -1, size, size, 3);
        x = b.node("Transpose", "conv1_conv/Conv2D__6", List.of(x), ints("perm", 0, 3, 1, 2));
        x = a.conv("conv1_conv/Conv2D", x, 3, 64, 7, 2, 1, same(7), true);
        x = a.batchNorm("conv1_bn/FusedBatchNormV3", x, 64);
        x = b.node("Relu", "conv1_relu/Relu", List.of(x));
        x = b.node("MaxPool", "pool1_pool/MaxPool", List.of(x), ints("kernel_shape", 3, 3), ints("strides", 2, 2),
                ints("pads", 1, 1, 1, 1));
        int in = 64;
        for (int blk = 1; blk <= 2; blk++) {
            String p = "conv2_block" + blk + "_";
            String shortcut = x;
            if (blk == 1) {
                shortcut = a.conv(p + "0_conv/Conv2D", x, in, 256, 1, 1, 1, VALID, true);
                shortcut = a.batchNorm(p + "0_bn/FusedBatchNormV3", shortcut, 256);
            }
            String y = a.conv(p + "1_conv/Conv2D", x, in, 64, 1, 1, 1, VALID, true);
            y = a.batchNorm(p + "1_bn/FusedBatchNormV3", y, 64);
            y = b.node("Relu", p + "1_relu/Relu", List.of(y));
            y = a.conv(p + "2_conv/Conv2D", y, 64, 64, 3, 1, 1, same(3), true);
            y = a.batchNorm(p + "2_bn/FusedBatchNormV3", y, 64);
            y = b.node("Relu", p + "2_relu/Relu", List.of(y));
            y = a.conv(p + "3_conv/Conv2D", y, 64, 256, 1, 1, 1, VALID, true);
            y = a.batchNorm(p + "3_bn/FusedBatchNormV3", y, 256);
            x = b.node("Add", p + "add/add", List.of(shortcut, y));
            x = b.node("Relu", p + "out/Relu", List.of(x));
            in = 256;
        }
        x = b.node("GlobalAveragePool", "avg_pool/Mean", List.of(x));
        String shape = b.node("Shape", "flatten/Shape", List.of(x));
        String batch = b.node("Gather", "flatten/strided_slice", List.of(shape, b.initializer("flatten/zero",
                Value.longs(new int[0], new long[] {0}))), i("axis", 0));
        batch = b.node("Unsqueeze", "flatten/Unsqueeze", List.of(batch, b.longs("flatten/axes", 0)));
        String target = b.node("Concat", "flatten/shape", List.of(batch, b.longs("flatten/minus_one", -1)), i("axis", 0));
        x = b.node("Reshape", "flatten/Reshape", List.of(x, target));
        String w = b.floats("predictions/kernel", new int[] {classes, in}, a.he(classes * in, in));
        x = b.node("Gemm", "predictions/MatMul", List.of(x, w, b.floats("predictions/bias", new int[] {classes},
                a.uniform(classes, -0.1, 0.1))), i("transB", 1));
        x = b.node("Softmax", "predictions/Softmax", List.of(x), i("axis", 1));
        b.output(x);
        return b.build("tf2onnx-layout test generator");
    }
}
