package org.modelbench.bench.internal;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.Tensor;
import org.modelbench.engine.graph.Network;
import org.modelbench.engine.kernels.Sgemm;

/**
 * {@code modelbench bench [--threads N] [--seconds S] [--batch B] [--infer-batch B] [--samples N]
 * [--no-ort] [--no-torch] [--no-openblas] [--python PATH] [--mnist DIR] [--json] [--save [--history DIR]]
 * [--compare OLD.json]}.
 *
 * <p>After a warm-up, the contenders run in alternating rounds (engine training, the SGEMM
 * reference and OpenBLAS's in a child process, engine inference, ONNX Runtime, PyTorch in a child
 * process), each figure summing its
 * rounds, so that every ratio divides two figures measured in this run, under the same machine
 * load on average and on the same thread count. Peak resident memory (VmHWM) is read after the
 * first round's training, before anything else has run.
 */
public final class BenchCli {
    private static final String USAGE = """
            Usage: modelbench bench [options]   (modelbench bench forest --help: the random forest vs scikit-learn;
                                                 modelbench bench data --help: CSV against IDX loading)
              Measures the native engine on the seed CNN (Keras' mnist_cnn) against references
              measured in the same run: the engine's SGEMM peak, ONNX Runtime on the exported
              model, PyTorch (/usr/bin/python3 with torch) through benchmarks/python/torch_seed_cnn.py, and
              OpenBLAS's SGEMM (a C probe compiled with gcc -lopenblas into the cache, ~/.modelbench/cache
              or $MODELBENCH_CACHE). Prints a table of the figures and their targets.
              --threads N       threads for every contender (default: available processors)
              --seconds S       timed seconds of engine training (default 10); SGEMM gets a third of
                                that, inference and ONNX Runtime half, PyTorch the same as the engine
              --rounds R        rounds that alternate the contenders, so all see the same machine
                                load on average (default 3)
              --batch B         training batch size (default 128)
              --infer-batch B   inference batch size (default 1000)
              --samples N       training samples per epoch (default 2560)
              --mnist DIR       directory with the MNIST IDX files (default: the data cache's mnist/;
                                synthetic inputs when absent)
              --python PATH     the Python with torch (default /usr/bin/python3)
              --no-ort          skip ONNX Runtime
              --no-torch        skip PyTorch
              --no-openblas     skip the OpenBLAS SGEMM reference
              --sgemm-size N    the square SGEMM reference problem, N^3 (default 2048)
              --l2-mlp-epochs E the denormal check: epochs of an L2 MLP whose weights decay through
                                the subnormal range; time per epoch must stay flat (default 20, 0 skips)
              --json            print one JSON object instead of the report
              --save            also write the JSON result into the history directory
              --history DIR     the history directory (default ~/.modelbench/bench-history)
              --finetune        instead: fine-tuning speed, the trainable suffix of VGG16 (block 5, 150x150)
                                and of MobileNetV2 (last block, 96x96) plus a new head, in the native ONNX
                                interpreter and in PyTorch (benchmarks/python/torch_finetune.py), same run
              --finetune-batch B, --finetune-samples N   its batch (16) and samples per epoch (64)
              --compare OLD     after the run, print each figure's new/old ratio against a saved
                                result (OLD.json from --json or --save) and flag regressions
            """;

    private BenchCli() {
    }

    /** Parsed options. */
    record Options(int threads, double seconds, int batch, int inferBatch, int samples, Path mnist, Path python,
                   boolean ort, boolean torch, int l2MlpEpochs, int rounds, boolean json, boolean openblas,
                   int sgemmSize, boolean save, Path history, Path compare, boolean fineTune, int fineTuneBatch,
                   int fineTuneSamples) {
    }

    public static int execute(List<String> args, PrintWriter out, PrintWriter err) {
        if (!args.isEmpty() && args.get(0).equals("forest")) {
            return ForestBench.execute(args.subList(1, args.size()), out, err);
        }
        if (!args.isEmpty() && args.get(0).equals("data")) {
            return DataBench.execute(args.subList(1, args.size()), out, err);
        }
        Options o;
        try {
            o = parse(args);
        } catch (InvalidInputException e) {
            err.println("modelbench: error: bench: " + e.getMessage() + " (see 'modelbench bench --help')");
            err.flush();
            return 2;
        }
        if (o == null) {
            out.print(USAGE);
            out.flush();
            return 0;
        }
        Map<String, Object> old;
        try {
            old = o.compare() == null ? null : BenchComparison.read(o.compare());
        } catch (InvalidInputException e) {
            err.println("modelbench: error: bench: --compare " + e.getMessage());
            err.flush();
            return 2;
        }
        PrintWriter log = o.json() ? err : out;
        Map<String, Object> result;
        if (o.fineTune()) {
            result = FineTuneBench.run(o, log);
        } else {
            result = run(o, log);
            BenchTable.print(result, log);
        }
        if (o.json()) {
            out.println(BenchHistory.json(result));
        }
        if (o.save()) {
            try {
                log.println("saved " + BenchHistory.save(result, o.history(), java.time.Instant.now()));
            } catch (java.io.IOException e) {
                err.println("bench: could not save the result into " + o.history() + ": " + e.getMessage());
                err.flush();
                return 1;
            }
        }
        if (old != null) {
            BenchComparison.print(old, result, o.compare(), log);
        }
        out.flush();
        log.flush();
        return 0;
    }

    static Options parse(List<String> args) {
        int threads = Runtime.getRuntime().availableProcessors();
        double seconds = 10;
        int batch = 128;
        int inferBatch = 1000;
        int samples = 2560;
        Path mnist = defaultMnist();
        Path python = Path.of("/usr/bin/python3");
        boolean ort = true;
        boolean torch = true;
        boolean json = false;
        int l2MlpEpochs = 20;
        int rounds = 3;
        boolean openblas = true;
        int sgemmSize = 2048;
        boolean save = false;
        Path history = BenchHistory.defaultDirectory();
        Path compare = null;
        boolean fineTune = false;
        int fineTuneBatch = 16;
        int fineTuneSamples = 64;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "-h", "--help" -> {
                    return null;
                }
                case "--threads" -> threads = positiveInt(a, value(args, ++i, a));
                case "--seconds" -> seconds = positiveDouble(a, value(args, ++i, a));
                case "--batch" -> batch = positiveInt(a, value(args, ++i, a));
                case "--infer-batch" -> inferBatch = positiveInt(a, value(args, ++i, a));
                case "--samples" -> samples = positiveInt(a, value(args, ++i, a));
                case "--mnist" -> mnist = Path.of(value(args, ++i, a));
                case "--python" -> python = Path.of(value(args, ++i, a));
                case "--no-ort" -> ort = false;
                case "--no-torch" -> torch = false;
                case "--no-openblas" -> openblas = false;
                case "--sgemm-size" -> sgemmSize = positiveInt(a, value(args, ++i, a));
                case "--save" -> save = true;
                case "--history" -> history = Path.of(value(args, ++i, a));
                case "--compare" -> compare = Path.of(value(args, ++i, a));
                case "--finetune" -> fineTune = true;
                case "--finetune-batch" -> fineTuneBatch = positiveInt(a, value(args, ++i, a));
                case "--finetune-samples" -> fineTuneSamples = positiveInt(a, value(args, ++i, a));
                case "--json" -> json = true;
                case "--rounds" -> rounds = positiveInt(a, value(args, ++i, a));
                case "--l2-mlp-epochs" -> l2MlpEpochs = atLeast(0, a, value(args, ++i, a));
                default -> throw new InvalidInputException("unknown option " + a);
            }
        }
        if (fineTune && fineTuneSamples < fineTuneBatch) {
            throw new InvalidInputException("--finetune-samples " + fineTuneSamples + " is smaller than --finetune-batch "
                    + fineTuneBatch);
        }
        if (fineTune && compare != null) {
            throw new InvalidInputException("--compare reads the seed CNN bench's figures, not --finetune's");
        }
        if (samples < batch) {
            throw new InvalidInputException("--samples " + samples + " is smaller than --batch " + batch);
        }
        return new Options(threads, seconds, batch, inferBatch, samples, mnist, python, ort, torch, l2MlpEpochs, rounds, json,
                openblas, sgemmSize, save, history, compare, fineTune, fineTuneBatch, fineTuneSamples);
    }

    private static Path defaultMnist() {
        String dir = System.getenv("MODELBENCH_DATA");
        Path base = dir != null && !dir.isBlank() ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".modelbench", "data");
        Path mnist = base.resolve("mnist");
        return Files.isDirectory(mnist) ? mnist : null;
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new InvalidInputException(option + " needs a value");
        }
        return args.get(i);
    }

    private static int positiveInt(String option, String v) {
        return atLeast(1, option, v);
    }

    private static int atLeast(int min, String option, String v) {
        try {
            int x = Integer.parseInt(v);
            if (x >= min) {
                return x;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidInputException(option + ": expected " + (min == 1 ? "a positive integer" : "an integer >= " + min)
                + ", got '" + v + "'");
    }

    private static double positiveDouble(String option, String v) {
        try {
            double x = Double.parseDouble(v);
            if (x > 0 && Double.isFinite(x)) {
                return x;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidInputException(option + ": expected a positive number, got '" + v + "'");
    }

    /** Runs every measurement; progress and the report go to {@code log}. The JSON keys are documented in docs/bench.md. */
    static Map<String, Object> run(Options o, PrintWriter log) {
        Map<String, Object> r = new LinkedHashMap<>();
        SeedCnnWorkload workload = SeedCnnWorkload.load(o.mnist(), o.samples());
        Network network = SeedCnnWorkload.network(42);
        long trainFlops = SeedCnnWorkload.trainFlops(network);
        r.put("threads", o.threads());
        r.put("batch", o.batch());
        r.put("infer_batch", o.inferBatch());
        r.put("samples", o.samples());
        r.put("data", workload.source());
        r.put("sgemm_kernel", Sgemm.kernelName());
        r.put("sgemm_kernel_detail", Sgemm.describe());
        r.put("sgemm_native", Sgemm.nativeBlas());
        r.put("sgemm_native_status", Sgemm.nativeStatus());
        r.put("sgemm_java_kernel", Sgemm.describeJava());
        r.put("sgemm_size", o.sgemmSize());
        r.put("forward_mflop_per_sample", SeedCnnWorkload.forwardFlops(network) / 1e6);
        r.put("train_mflop_per_sample", trainFlops / 1e6);
        r.put("load_average", loadAverage());
        log.printf(Locale.ROOT, "bench: seed CNN, %s data, %d threads, SGEMM kernel %s, load average %s%n",
                workload.source(), o.threads(), Sgemm.describe(), r.get("load_average"));
        log.flush();

        // Warm-up, then rounds that alternate the contenders so each sees the same load on average.
        EngineBench engine = new EngineBench(network, workload, o.batch(), o.threads());
        SgemmReference sgemmRef = new SgemmReference(o.sgemmSize(), o.threads());
        OpenBlasProbe.Found openblas = o.openblas() ? OpenBlasProbe.find(OpenBlasProbe.defaultCache())
                : new OpenBlasProbe.Found(null, "--no-openblas");
        String openblasSkipped = openblas.skipped();
        Meter openblasMeter = new Meter();
        int inferBatch = Math.min(o.inferBatch(), o.samples());
        Tensor batch = workload.data().features().slice(0, inferBatch);
        engine.trainEpoch();
        OrtBench ort = null;
        Double rss = null;
        Meter train = new Meter();
        Meter sgemm = new Meter();
        // the Java kernel on its own, when the engine multiplies with OpenBLAS (else it is the engine's figure)
        Meter sgemmJava = Sgemm.nativeBlas() ? new Meter() : sgemm;
        Meter infer = new Meter();
        Meter ortInfer = new Meter();
        Meter torchTrain = new Meter();
        Meter torchInfer = new Meter();
        String torchVersion = null;
        String torchSkipped = o.torch() ? null : "--no-torch";
        double slice = o.seconds() / o.rounds();
        for (int round = 1; round <= o.rounds(); round++) {
            train.measure(slice, 1, engine::trainEpoch);
            if (round == 1) {
                // nothing but training has run yet: the high-water mark is training's
                rss = Timing.peakRssMb();
                sgemmRef.multiply();
                sgemmRef.multiplyJava();
                engine.infer(batch);
                if (o.ort()) {
                    ort = new OrtBench(network, batch, o.threads());
                    ort.infer();
                    r.put("ort_version", OrtBench.version());
                    r.put("ort_max_abs_difference",
                            ort.maxAbsDifference(network.predict(batch, o.threads())));
                }
            }
            sgemm.measure(slice / 3, 3, sgemmRef::multiply);
            if (sgemmJava != sgemm) {
                sgemmJava.measure(slice / 3, 3, sgemmRef::multiplyJava);
            }
            if (openblasSkipped == null) {
                try {
                    OpenBlasProbe.Result b = openblas.probe().run(o.sgemmSize(), o.threads(), slice / 3);
                    openblasMeter.add(b.gflops() * 1e9, b.seconds());
                    r.put("openblas_config", b.config());
                    r.put("openblas_core", b.core());
                } catch (java.io.IOException e) {
                    openblasSkipped = e.getMessage();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    openblasSkipped = "interrupted";
                }
            }
            infer.measure(slice / 2, 3, () -> engine.infer(batch));
            if (ort != null) {
                ortInfer.measure(slice / 2, 3, ort::infer);
            }
            if (torchSkipped == null) {
                TorchBench.Result t = TorchBench.run(o.python(), o.mnist(), o.threads(), o.batch(), inferBatch,
                        o.samples(), slice);
                if (t.skipped() != null) {
                    torchSkipped = t.skipped();
                } else {
                    torchVersion = t.version();
                    torchTrain.add(t.trainSamplesPerSecond(), slice);
                    torchInfer.add(t.inferSamplesPerSecond(), slice / 2);
                }
            }
            log.printf(Locale.ROOT, "round %d of %d: engine train %.1f, infer %.1f samples/s so far%n", round,
                    o.rounds(), train.rate(), infer.rate());
            log.flush();
        }
        if (ort != null) {
            ort.close();
        }
        Double childRss = TrainingMemory.childPeakRssMb(o.mnist(), o.samples(), o.batch(), o.threads());
        double trainRate = train.rate();
        r.put("engine_train_samples_per_s", trainRate);
        r.put("engine_train_gflops", trainRate * trainFlops / 1e9);
        r.put("peak_rss_mb", childRss != null ? childRss : rss);
        r.put("peak_rss_mb_child_" + TrainingMemory.HEAP.substring(2), childRss);
        r.put("peak_rss_mb_this_jvm", rss);
        log.printf(Locale.ROOT, "engine train:  %8.1f samples/s (batch %d), %.1f GFLOP/s, peak RSS %s MiB (training"
                + " alone, child JVM %s), %s MiB in this JVM%n", trainRate, o.batch(), trainRate * trainFlops / 1e9,
                mib(childRss), TrainingMemory.HEAP, mib(rss));
        r.put("sgemm_gflops", sgemm.rate() / 1e9);
        r.put("sgemm_java_gflops", sgemmJava.rate() / 1e9);
        r.put("engine_train_fraction_of_sgemm", trainRate * trainFlops / sgemm.rate());
        log.printf(Locale.ROOT, "SGEMM %d^3:  %8.1f GFLOP/s (%s); engine training runs at %.0f%% of it%n",
                o.sgemmSize(), sgemm.rate() / 1e9, Sgemm.describe(), 100 * trainRate * trainFlops / sgemm.rate());
        Double openblasRate = openblasSkipped == null && !openblasMeter.empty() ? openblasMeter.rate() : null;
        r.putIfAbsent("openblas_config", null);
        r.putIfAbsent("openblas_core", null);
        r.put("openblas_coretype_env", System.getenv("OPENBLAS_CORETYPE"));
        r.put("openblas_gflops", openblasRate == null ? null : openblasRate / 1e9);
        r.put("sgemm_vs_openblas", ratio(sgemm.rate(), openblasRate));
        r.put("sgemm_java_vs_openblas", ratio(sgemmJava.rate(), openblasRate));
        r.put("engine_train_fraction_of_openblas", ratio(trainRate * trainFlops, openblasRate));
        // The Java kernel is the default only where it measures at least as fast as OpenBLAS.
        r.put("sgemm_java_at_least_openblas", openblasRate == null ? null : sgemmJava.rate() >= openblasRate);
        if (sgemmJava != sgemm) {
            log.printf(Locale.ROOT, "Java SGEMM:  %8.1f GFLOP/s (%s)%n", sgemmJava.rate() / 1e9, Sgemm.describeJava());
        }
        if (openblasRate != null) {
            log.printf(Locale.ROOT, "OpenBLAS %d^3: %7.1f GFLOP/s (%s, core %s): the engine's SGEMM (%s) at %.0f%%, the "
                    + "Java kernel at %.0f%% of it%s%n", o.sgemmSize(), openblasRate / 1e9, r.get("openblas_config"),
                    r.get("openblas_core"), Sgemm.kernelName(), 100 * sgemm.rate() / openblasRate,
                    100 * sgemmJava.rate() / openblasRate, javaVerdict(sgemmJava.rate() >= openblasRate));
        } else {
            r.put("openblas_skipped", openblasSkipped);
            log.println("OpenBLAS:      skipped (" + openblasSkipped + ")");
        }
        r.put("engine_infer_samples_per_s", infer.rate());
        log.printf(Locale.ROOT, "engine infer:  %8.1f samples/s (batch %d)%n", infer.rate(), inferBatch);
        Double ortRate = ortInfer.empty() ? null : ortInfer.rate();
        r.put("ort_infer_samples_per_s", ortRate);
        if (ortRate != null) {
            log.printf(Locale.ROOT, "ORT infer:     %8.1f samples/s (ONNX Runtime %s; outputs differ by <= %.2g)%n",
                    ortRate, r.get("ort_version"), (Double) r.get("ort_max_abs_difference"));
        } else {
            log.println("ORT infer:     skipped (--no-ort)");
        }
        TorchBench.Result torch = torchSkipped != null ? TorchBench.Result.skipped(torchSkipped)
                : new TorchBench.Result(torchTrain.rate(), torchInfer.rate(), torchVersion, null);
        log.flush();

        r.put("torch_version", torch.version());
        r.put("torch_train_samples_per_s", torch.trainSamplesPerSecond());
        r.put("torch_infer_samples_per_s", torch.inferSamplesPerSecond());
        if (torch.skipped() != null) {
            r.put("torch_skipped", torch.skipped());
            log.println("PyTorch:       skipped (" + torch.skipped() + ")");
        } else {
            log.printf(Locale.ROOT, "PyTorch %s: train %8.1f samples/s, infer %8.1f samples/s%n", torch.version(),
                    torch.trainSamplesPerSecond(), torch.inferSamplesPerSecond());
        }
        if (o.l2MlpEpochs() > 0) {
            Map<String, Object> l2 = L2MlpBench.run(workload, o.l2MlpEpochs(), o.batch(), o.threads());
            r.putAll(l2);
            log.printf(Locale.ROOT, "L2 MLP:        %d epochs, last/first epoch time %.2f, slowest/median %.2f, %d subnormal"
                    + " weights left, %.0f%% of weights flushed to zero%n", o.l2MlpEpochs(),
                    (Double) l2.get("l2_mlp_last_to_first"), (Double) l2.get("l2_mlp_max_to_median"),
                    (Long) l2.get("l2_mlp_subnormal_weights"), 100 * (Double) l2.get("l2_mlp_zero_weights_fraction"));
        } else {
            r.put("l2_mlp_epoch_seconds", null);
        }
        r.put("train_vs_torch", ratio(trainRate, torch.trainSamplesPerSecond()));
        r.put("infer_vs_ort", ratio(infer.rate(), ortRate));
        r.put("infer_vs_torch", ratio(infer.rate(), torch.inferSamplesPerSecond()));
        log.printf(Locale.ROOT, "ratios: train/torch %s, infer/ORT %s, infer/torch %s, train GFLOP/s / SGEMM %.2f%n",
                fmt(r.get("train_vs_torch")), fmt(r.get("infer_vs_ort")), fmt(r.get("infer_vs_torch")),
                (Double) r.get("engine_train_fraction_of_sgemm"));
        log.flush();
        return r;
    }

    /** What the Java kernel's figure against OpenBLAS means for the engine's choice of kernel on this machine. */
    private static String javaVerdict(boolean javaAtLeastOpenBlas) {
        if (Sgemm.nativeBlas()) {
            return javaAtLeastOpenBlas ? "; the Java kernel measures as fast: -D" + Sgemm.BLAS_PROPERTY
                    + "=java (MODELBENCH_BLAS=java) selects it" : "; the engine multiplies with OpenBLAS";
        }
        return javaAtLeastOpenBlas ? "" : "; OpenBLAS is faster on this machine, and the engine's native path is "
                + Sgemm.nativeStatus();
    }

    private static String mib(Double mb) {
        return mb == null ? "n/a" : String.format(Locale.ROOT, "%.0f", mb);
    }

    private static Double ratio(double mine, Double reference) {
        return reference == null || reference <= 0 ? null : mine / reference;
    }

    private static String fmt(Object ratio) {
        return ratio == null ? "n/a" : String.format(Locale.ROOT, "%.2fx", (Double) ratio);
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }
}
