package org.modelbench.onnx.internal;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.Printable;
import org.modelbench.api.spi.ProviderCatalogue;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code modelbench onnx} command and its subcommands. Exit codes: 0 ok, 1 failure, 2 bad input, 3 differences. */
@Command(name = "modelbench onnx", mixinStandardHelpOptions = true,
        description = "ONNX tools: inspect a model, run it, check conformance, benchmark ONNX Runtime against the native import.",
        subcommands = {OnnxCli.Inspect.class, OnnxCli.Run.class, OnnxCli.ConformanceCommand.class, OnnxCli.Bench.class,
                OnnxCli.Export.class},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:ok", "1:failure", "2:bad input or usage", "3:outputs disagree beyond tolerance"})
public final class OnnxCli implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 2;
    }

    /**
     * Runs {@code args} with picocli. Exceptions of a subcommand are rethrown after picocli returns,
     * so the application reports them (an {@link InvalidInputException} in one line with exit 2).
     *
     * @param providers the platform's providers ({@code export} checks a model with its own family)
     */
    public static int execute(List<String> args, PrintWriter out, PrintWriter err, ProviderCatalogue providers) {
        CommandLine cli = new CommandLine(new OnnxCli());
        ((Export) cli.getSubcommands().get("export").getCommand()).providers = providers;
        return execute(cli, args, out, err);
    }

    /**
     * Runs {@code args} on a picocli {@code command} object (or a ready {@link CommandLine}) the same
     * way (used by the plugin's other commands): exceptions of a subcommand are rethrown after
     * picocli returns.
     */
    public static int execute(Object command, List<String> args, PrintWriter out, PrintWriter err) {
        CommandLine cli = command instanceof CommandLine ready ? ready : new CommandLine(command);
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("modelbench: error: " + Printable.of(e.getMessage().replaceAll("\\R", " "),
                    1000) + " (see '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            e.getCommandLine().getErr().flush();
            return 2;
        });
        RuntimeException[] failure = new RuntimeException[1];
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof RuntimeException r) {
                failure[0] = r;
                return 1;
            }
            throw e;
        });
        int code = cli.execute(args.toArray(String[]::new));
        if (failure[0] != null) {
            // The application reports modelbench exceptions in one line (exit 2 for bad input).
            throw failure[0];
        }
        return code;
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = "Opset, inputs and outputs with shapes, node count per operator, parameter count, and whether "
                    + "the native import supports every operator.")
    static final class Inspect implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "FILE", description = "The .onnx file.")
        Path file;
        @Option(names = "--nodes", description = "Also list every node with its outputs (cut points).")
        boolean nodes;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            OnnxModelFile model = OnnxModelFile.load(file);
            Inspection.print(model, nodes, out);
            out.flush();
            return 0;
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Runs a model on TensorProto inputs and writes the outputs as TensorProto files output_K.pb.")
    static final class Run implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "FILE", description = "The .onnx file.")
        Path file;
        @Option(names = "--input", required = true, description = "Input TensorProto files, in the model's input order.")
        List<Path> inputs = new ArrayList<>();
        @Option(names = "--engine", defaultValue = "native", description = "native or ort (default: ${DEFAULT-VALUE}).")
        String engine;
        @Option(names = "--output-dir", defaultValue = ".", description = "Where output_K.pb go (default: ${DEFAULT-VALUE}).")
        Path outputDir;
        @Option(names = "--cut", description = "Return this node's (or value's) output instead of the graph outputs.")
        String cut;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            OnnxModelFile model = OnnxModelFile.load(file);
            List<OnnxModelFile.Port> ports = model.inputs();
            if (inputs.size() != ports.size()) {
                throw new InvalidInputException(file + ": the model has " + ports.size() + " input(s) "
                        + ports.stream().map(OnnxModelFile.Port::name).toList() + " but " + inputs.size() + " --input given");
            }
            Map<String, Value> feeds = new LinkedHashMap<>();
            for (int i = 0; i < inputs.size(); i++) {
                feeds.put(ports.get(i).name(), TensorProtos.read(inputs.get(i)));
            }
            List<String> wanted = cut == null ? List.of() : List.of(model.resolveCut(cut));
            Map<String, Value> results;
            switch (engine) {
                case "native" -> results = OnnxImporter.importModel(model).run(feeds, wanted, 1);
                case "ort" -> {
                    OnnxModelFile m = cut == null ? model : model.cutAt(wanted.get(0));
                    try (OrtRunner ort = new OrtRunner(m, 1)) {
                        results = ort.run(feeds, wanted);
                    }
                }
                default -> throw new InvalidInputException("--engine: expected native or ort, got " + engine);
            }
            int k = 0;
            for (Map.Entry<String, Value> e : results.entrySet()) {
                Path target = outputDir.resolve("output_" + k++ + ".pb");
                TensorProtos.write(target, e.getKey(), e.getValue());
                out.println(target + "  " + e.getKey() + " " + java.util.Arrays.toString(e.getValue().dims()));
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "conformance", mixinStandardHelpOptions = true,
            description = "Runs every ONNX test folder (model.onnx + test_data_set_*/input_*.pb, output_*.pb) under DIR "
                    + "through the native import and ONNX Runtime; prints a pass/fail table with the error per output.")
    static final class ConformanceCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "DIR", description = "A test folder or a folder of test folders.")
        Path dir;
        @Option(names = "--no-ort", description = "Skip ONNX Runtime.")
        boolean noOrt;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Conformance.Summary s = Conformance.runAll(dir, !noOrt, out);
            out.flush();
            return s.nativePassedTests() == s.supportedTests() ? 0 : 3;
        }
    }

    @Command(name = "bench", mixinStandardHelpOptions = true,
            description = "Inference samples/s of ONNX Runtime and of the native import on the same model and random "
                    + "inputs, measured in one run, with their ratio.")
    static final class Bench implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "FILE", description = "The .onnx file.")
        Path file;
        @Option(names = "--batch", defaultValue = "8", description = "Batch size for a symbolic batch dimension (default: ${DEFAULT-VALUE}).")
        int batch;
        @Option(names = "--seconds", defaultValue = "3", description = "Measured time per engine (default: ${DEFAULT-VALUE}).")
        double seconds;
        @Option(names = "--threads", defaultValue = "1", description = "Threads per engine (default: ${DEFAULT-VALUE}).")
        int threads;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            OnnxModelFile model = OnnxModelFile.load(file);
            Benchmark.Result r = Benchmark.run(model, batch, seconds, threads);
            out.printf("model %s, batch %d, %d thread(s)%n", file, r.batch(), threads);
            out.printf("onnxruntime %s: %.1f samples/s (%d batches)%n", OrtRunner.version(), r.ortSamplesPerSecond(), r.ortBatches());
            out.printf("native import: %.1f samples/s (%d batches)%n", r.nativeSamplesPerSecond(), r.nativeBatches());
            out.printf("ratio native/ort: %.3f; max relative output difference %.2e%n",
                    r.nativeSamplesPerSecond() / r.ortSamplesPerSecond(), r.maxRelativeError());
            out.flush();
            return 0;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Exports a saved engine model (architecture.json + weights.safetensors) to ONNX and checks "
                    + "that ONNX Runtime gives the engine's probabilities on random inputs.")
    static final class Export implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "MODEL_DIR", description = "A model folder saved by an engine family.")
        Path model;
        @Option(names = "--output", required = true, description = "The .onnx file to write.")
        Path output;
        @Option(names = "--no-check", description = "Skip the comparison with ONNX Runtime.")
        boolean noCheck;
        ProviderCatalogue providers = ProviderCatalogue.empty();

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            EngineModelExport.Loaded loaded = EngineModelExport.load(model, providers);
            ai.onnx.proto.OnnxMl.ModelProto proto = OnnxExporter.export(loaded.network(), loaded.configs());
            org.modelbench.api.AtomicFiles.write(output, proto.toByteArray());
            out.printf("wrote %s: %d nodes, %,d parameters, input [N, %s], opset %d%n", output,
                    proto.getGraph().getNodeCount(), loaded.network().parameterCount(),
                    loaded.network().inputShape().toString().replace('x', ','), proto.getOpsetImport(0).getVersion());
            if (noCheck) {
                out.flush();
                return 0;
            }
            double error = EngineModelExport.check(model, loaded, proto, providers);
            out.printf("ONNX Runtime vs the engine on 8 random inputs: max|diff|/max|ref| = %.2e (%s)%n", error,
                    error <= Parity.TOLERANCE ? "ok" : "DIFFERENT");
            out.flush();
            return error <= Parity.TOLERANCE ? 0 : 3;
        }
    }

    /** Random feeds for a model's inputs: symbolic dims become {@code batch} (first) or 1. */
    static Map<String, Value> randomFeeds(OnnxModelFile model, int batch, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, Value> feeds = new LinkedHashMap<>();
        for (OnnxModelFile.Port p : model.inputs()) {
            int[] dims = p.dims().clone();
            for (int i = 0; i < dims.length; i++) {
                if (dims[i] < 0) {
                    dims[i] = i == 0 ? batch : 1;
                }
            }
            if (p.elementType() != Value.FLOAT) {
                throw new InvalidInputException(model.path() + ": input '" + p.name() + "' is "
                        + TensorProtos.typeName(p.elementType()) + "; random inputs are made for FLOAT inputs only");
            }
            float[] data = new float[(int) Value.size(dims)];
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) random.nextDouble(-1, 1);
            }
            feeds.put(p.name(), Value.floats(dims, data));
        }
        return feeds;
    }
}
