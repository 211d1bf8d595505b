package org.modelbench.onnx.internal;

import java.util.SplittableRandom;

/**
 * Per-layer timing of {@link WinogradConv} against im2col + SGEMM ({@link ConvForward#unfolded}) on the 3x3
 * stride-1 layers of VGG16 at 150x150 and ResNet-18 at 112x112, batch 8 (a main, not a test: run it by hand on a
 * quiet host; it sets {@link WinogradConv#MIN_CHANNELS}/{@link WinogradConv#MIN_TILES} from measurements).
 * Arguments: threads (2), repetitions (5), a part of the layers' names to run only those.
 */
public final class WinogradLayerBench {
    private WinogradLayerBench() {
    }

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int n = 8;
        // name, channels in, out, plane (pad 1)
        Object[][] layers = {{"vgg conv1_2", 64, 64, 150}, {"vgg conv2_1", 64, 128, 75}, {"vgg conv2_2", 128, 128, 75},
            {"vgg conv3_1", 128, 256, 37}, {"vgg conv3_2", 256, 256, 37}, {"vgg conv4_1", 256, 512, 18},
            {"vgg conv4_2", 512, 512, 18}, {"vgg conv5_x", 512, 512, 9}, {"resnet layer1", 64, 64, 28},
            {"resnet layer2", 128, 128, 14}, {"resnet layer3", 256, 256, 7}, {"resnet layer4", 512, 512, 4}};
        SplittableRandom r = new SplittableRandom(1);
        System.out.println(Blas.inferenceKernels());
        String only = args.length > 2 ? args[2] : "";
        for (Object[] l : layers) {
            if (!((String) l[0]).contains(only)) {
                continue;
            }
            int c = (Integer) l[1];
            int m = (Integer) l[2];
            int h = (Integer) l[3];
            Window g = new Window(h, h, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, h, h);
            float[] x = new float[n * c * h * h];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextDouble(-1, 1);
            }
            float[] w = new float[m * c * 9];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) r.nextDouble(-1, 1);
            }
            float[] b = new float[m];
            float[] y = new float[n * m * h * h];
            int[] dims = {n, c, h, h};
            WinogradConv.Filters filters = new WinogradConv.Filters();
            long im2col = Long.MAX_VALUE;
            long wino = Long.MAX_VALUE;
            for (int rep = 0; rep < reps + 2; rep++) {
                long t0 = System.nanoTime();
                ConvForward.unfolded(g, 1, dims, x, m, w, b, null, Epilogue.RELU, threads, y);
                long t1 = System.nanoTime();
                ConvForward.winograd(g, dims, x, m, w, b, null, Epilogue.RELU, filters, threads, y);
                long t2 = System.nanoTime();
                im2col = Math.min(im2col, t1 - t0);
                wino = Math.min(wino, t2 - t1);
            }
            System.out.printf("%-14s C=%3d M=%3d %3dx%-3d tiles %5d: im2col %8.2f ms  winograd %8.2f ms  speedup %.2fx%n",
                    l[0], c, m, h, h, ((h + 1) / 2) * ((h + 1) / 2), im2col / 1e6, wino / 1e6, (double) im2col / wino);
        }
    }
}
