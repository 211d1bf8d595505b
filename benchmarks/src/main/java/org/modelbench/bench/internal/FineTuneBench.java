package org.modelbench.bench.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.modelbench.api.Parameter;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.onnx.export.ImportedGraph;

/**
 * Fine-tuning speed: the trainable suffix of a torchvision base plus a new head (VGG16's block 5 at
 * 150x150, MobileNetV2's tail at 96x96; see {@code torch_finetune.py}, which defines both, exports
 * them to ONNX with seeded random weights and trains them in PyTorch), trained in the native ONNX
 * interpreter on the frozen prefix's (cached) outputs: forward with a tape, softmax cross-entropy,
 * backward, plain SGD, every parameter of the suffix trainable. Inputs and labels are seeded noise:
 * the figure is samples/s, the same for any data.
 */
final class FineTuneBench {
    static final String SCRIPT = "torch_finetune.py";
    static final List<String> MODELS = List.of("vgg16_block5", "mobilenet_v2_tail");
    static final float LEARNING_RATE = 1e-3f;

    private final ImportedGraph graph;
    private final List<Parameter> trainable = new ArrayList<>();
    private final float[] x;
    private final int[] labels;
    private final int[] sampleDims;
    private final int batch;
    private final int threads;
    private long step;

    FineTuneBench(Path onnx, int samples, int batch, int threads) {
        this.graph = ImportedGraph.read(onnx);
        trainable.addAll(graph.parameters());
        // backward adds into the gradients; each SGD step zeroes them for the next
        trainable.forEach(p -> java.util.Arrays.fill(p.gradient().data(), 0f));
        int[] dims = graph.inputDims();
        sampleDims = new int[dims.length - 1];
        int size = 1;
        for (int i = 1; i < dims.length; i++) {
            sampleDims[i - 1] = dims[i];
            size *= dims[i];
        }
        SplittableRandom r = new SplittableRandom(1);
        x = new float[samples * size];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        labels = new int[samples];
        for (int i = 0; i < samples; i++) {
            labels[i] = r.nextInt(2);
        }
        this.batch = batch;
        this.threads = threads;
    }

    /** One epoch of SGD steps over the samples (whole batches); returns the samples trained. */
    long epoch() {
        int size = x.length / labels.length;
        int done = 0;
        for (int s0 = 0; s0 + batch <= labels.length; s0 += batch) {
            int[] dims = new int[sampleDims.length + 1];
            dims[0] = batch;
            System.arraycopy(sampleDims, 0, dims, 1, sampleDims.length);
            float[] xb = java.util.Arrays.copyOfRange(x, s0 * size, (s0 + batch) * size);
            Tensor logits = graph.trainingForward(Tensor.of(Shape.of(dims), xb), step++, threads);
            graph.backward(Tensor.of(logits.shape(), crossEntropyGradient(logits, s0)));
            sgdStep();
            done += batch;
        }
        return done;
    }

    /** The mean softmax cross-entropy over every sample (forward only, batch by batch). */
    double meanLoss() {
        int size = x.length / labels.length;
        double sum = 0;
        for (int s0 = 0; s0 + batch <= labels.length; s0 += batch) {
            int[] dims = new int[sampleDims.length + 1];
            dims[0] = batch;
            System.arraycopy(sampleDims, 0, dims, 1, sampleDims.length);
            float[] z = graph.run(Tensor.of(Shape.of(dims), java.util.Arrays.copyOfRange(x, s0 * size,
                    (s0 + batch) * size)), threads).data();
            int classes = z.length / batch;
            for (int b = 0; b < batch; b++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < classes; c++) {
                    max = Math.max(max, z[b * classes + c]);
                }
                double e = 0;
                for (int c = 0; c < classes; c++) {
                    e += Math.exp(z[b * classes + c] - max);
                }
                sum += Math.log(e) + max - z[b * classes + labels[s0 + b]];
            }
        }
        return sum / (labels.length / batch * batch);
    }

    /**
     * Plain SGD, {@code w -= lr * g}, fused with zeroing {@code g} for the next step's backward (which
     * adds into it); 64K-element chunks over the threads (element-wise: the same bits for any count).
     */
    private void sgdStep() {
        for (Parameter p : trainable) {
            float[] w = p.value().data();
            float[] g = p.gradient().data();
            int chunk = 1 << 16;
            org.modelbench.engine.kernels.Parallel.forEach((w.length + chunk - 1) / chunk, w.length < chunk ? 1 : threads,
                    c -> {
                        for (int i = c * chunk, end = Math.min(w.length, i + chunk); i < end; i++) {
                            w[i] -= LEARNING_RATE * g[i];
                            g[i] = 0f;
                        }
                    });
        }
    }

    /** A copy of the first trainable parameter's values (tests: did SGD move it?). */
    float[] firstWeights() {
        return trainable.get(0).value().data().clone();
    }

    /** Copies of every trainable parameter's values, in parameter order (tests: the same for any thread count?). */
    List<float[]> weights() {
        return trainable.stream().map(p -> p.value().data().clone()).toList();
    }

    /** d(mean softmax cross-entropy)/d(logits) for the batch starting at sample {@code s0}. */
    private float[] crossEntropyGradient(Tensor logits, int s0) {
        float[] z = logits.data();
        int classes = z.length / batch;
        float[] d = new float[z.length];
        for (int b = 0; b < batch; b++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, z[b * classes + c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(z[b * classes + c] - max);
            }
            for (int c = 0; c < classes; c++) {
                double p = Math.exp(z[b * classes + c] - max) / sum;
                d[b * classes + c] = (float) ((p - (c == labels[s0 + b] ? 1 : 0)) / batch);
            }
        }
        return d;
    }

    /** The suffix ONNX files, exported by {@code torch_finetune.py} into {@code <cache>/finetune-onnx/} when absent. */
    static Map<String, Path> export(Path python, Path cache) throws IOException, InterruptedException {
        Path dir = cache.resolve("finetune-onnx");
        Map<String, Path> files = new java.util.LinkedHashMap<>();
        boolean missing = false;
        for (String m : MODELS) {
            files.put(m, dir.resolve(m + ".onnx"));
            missing |= !Files.isRegularFile(dir.resolve(m + ".onnx"));
        }
        if (missing) {
            ChildProcess p = TorchBench.runScript(python, SCRIPT, List.of("--export", dir.toString()), 1, 600);
            if (p.exitCode() != 0) {
                throw new IOException("exporting the fine-tuning suffixes failed (exit " + p.exitCode() + "): "
                        + p.lastLine());
            }
        }
        return files;
    }

    /**
     * {@code bench --finetune}: each suffix in the native interpreter and in PyTorch, in rounds that
     * alternate the two (same load on average), after one warm-up epoch each.
     */
    static Map<String, Object> run(BenchCli.Options o, java.io.PrintWriter log) {
        Map<String, Object> r = new java.util.LinkedHashMap<>();
        r.put("mode", "finetune");
        r.put("threads", o.threads());
        r.put("batch", o.fineTuneBatch());
        r.put("samples", o.fineTuneSamples());
        r.put("load_average", BenchCli.loadAverage());
        r.put("sgemm_kernel_detail", org.modelbench.engine.kernels.Sgemm.describe());
        log.printf(java.util.Locale.ROOT, "bench --finetune: %d threads, batch %d, load average %s%n", o.threads(),
                o.fineTuneBatch(), r.get("load_average"));
        log.flush();
        String torchSkipped = o.torch() ? TorchBench.unavailable(o.python(), o.threads()) : "--no-torch";
        Map<String, Path> files;
        try {
            // the suffixes come from torchvision through the script, even when PyTorch is not timed
            files = export(o.python(), OpenBlasProbe.defaultCache());
        } catch (IOException e) {
            r.put("finetune_skipped", e.getMessage());
            log.println("fine-tuning: skipped (" + e.getMessage() + ")");
            return r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            r.put("finetune_skipped", "interrupted");
            return r;
        }
        double slice = o.seconds() / o.rounds();
        for (String model : MODELS) {
            FineTuneBench engine = new FineTuneBench(files.get(model), o.fineTuneSamples(), o.fineTuneBatch(), o.threads());
            engine.epoch();
            Meter mine = new Meter();
            Meter torch = new Meter();
            String version = null;
            for (int round = 1; round <= o.rounds(); round++) {
                mine.measure(slice, 1, engine::epoch);
                if (torchSkipped == null) {
                    try {
                        ChildProcess p = TorchBench.runScript(o.python(), SCRIPT, List.of("--model", model, "--threads",
                                Integer.toString(o.threads()), "--batch", Integer.toString(o.fineTuneBatch()),
                                "--samples", Integer.toString(o.fineTuneSamples()), "--seconds", Double.toString(slice)),
                                o.threads(), (long) (120 + 40 * slice));
                        if (p.exitCode() != 0) {
                            torchSkipped = "the PyTorch script failed (exit " + p.exitCode() + "): " + p.lastLine();
                        } else {
                            com.fasterxml.jackson.databind.JsonNode j = new com.fasterxml.jackson.databind.ObjectMapper()
                                    .readTree(p.lastLine());
                            torch.add(j.get("train_samples_per_s").asDouble(), slice);
                            version = j.get("torch_version").asText();
                        }
                    } catch (IOException e) {
                        torchSkipped = e.getMessage();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        torchSkipped = "interrupted";
                    }
                }
                log.printf(java.util.Locale.ROOT, "%s round %d of %d: engine %.2f samples/s so far%n", model, round,
                        o.rounds(), mine.rate());
                log.flush();
            }
            Double torchRate = torchSkipped == null && !torch.empty() ? torch.rate() : null;
            r.put(model + "_engine_samples_per_s", mine.rate());
            r.put(model + "_torch_samples_per_s", torchRate);
            r.put(model + "_vs_torch", torchRate == null ? null : mine.rate() / torchRate);
            r.putIfAbsent("torch_version", version);
        }
        if (torchSkipped != null) {
            r.put("torch_skipped", torchSkipped);
        }
        log.printf("%n%-44s %14s %14s %8s  %s%n", "fine-tuning (suffix + new head, SGD)", "engine", "PyTorch", "ratio",
                "target");
        for (String model : MODELS) {
            Double t = (Double) r.get(model + "_torch_samples_per_s");
            Double q = (Double) r.get(model + "_vs_torch");
            log.printf(java.util.Locale.ROOT, "%-44s %10.2f s/s %14s %8s  %s%n", label(model),
                    (Double) r.get(model + "_engine_samples_per_s"),
                    t == null ? "n/a" : String.format(java.util.Locale.ROOT, "%10.2f s/s", t),
                    q == null ? "n/a" : String.format(java.util.Locale.ROOT, "%.2fx", q),
                    model.startsWith("vgg16") ? ">= 1.00x " + (q == null ? "" : q >= 1 ? "met" : "NOT MET") : "");
        }
        if (torchSkipped != null) {
            log.println("PyTorch: skipped (" + torchSkipped + ")");
        }
        log.printf("load average %s (same-run ratios; absolute timings move with the load)%n", r.get("load_average"));
        log.flush();
        return r;
    }

    private static String label(String model) {
        return switch (model) {
            case "vgg16_block5" -> "VGG16 block 5 + Dense 256/2, 150x150 input";
            case "mobilenet_v2_tail" -> "MobileNetV2 last block + 1x1 + Dense, 96x96";
            default -> model;
        };
    }
}
