package org.modelbench.onnx.internal.keras;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.modelbench.api.AtomicFiles;
import org.modelbench.api.InvalidInputException;
import org.modelbench.onnx.internal.OnnxCli;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code modelbench keras} command: inspect and convert Keras models. Exit codes: 0 ok, 1 failure, 2 bad input. */
@Command(name = "modelbench keras", mixinStandardHelpOptions = true,
        description = "Keras models without Python: TensorFlow.js layers format (model.json + weight shards), Keras 3 "
                + ".keras files and legacy Keras .h5 files.",
        subcommands = {KerasCli.Inspect.class, KerasCli.Convert.class},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:ok", "1:failure", "2:bad input, unsupported layers or usage"})
public final class KerasCli implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 2;
    }

    /** Runs {@code args}; exceptions of a subcommand are rethrown for the application to report in one line. */
    public static int execute(List<String> args, PrintWriter out, PrintWriter err) {
        return OnnxCli.execute(new KerasCli(), args, out, err);
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = "Every layer (name, class, inputs, parameters) and every unsupported layer, then a trial "
                    + "conversion that checks every weight's shape. Exit 2 when a layer is not supported or a weight "
                    + "does not fit.")
    static final class Inspect implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "FILE", description = "model.json (its shards beside it), FILE.keras or FILE.h5.")
        Path file;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            KerasModel model = KerasModel.read(file);
            Map<String, Long> params = KerasToOnnx.parameters(model);
            out.printf(Locale.ROOT, "model %s: %d layers, input %s (HWC), outputs %s%n", model.name(),
                    model.layers().size(), Arrays.toString(model.inputShape()), model.outputs());
            out.printf(Locale.ROOT, "%-36s %-24s %12s  %s%n", "layer", "class", "parameters", "inputs");
            List<String> unsupported = new ArrayList<>();
            long total = 0;
            for (KerasLayer l : model.layers()) {
                long p = params.get(l.name());
                total += p;
                String why = KerasToOnnx.unsupportedReason(l);
                if (why != null) {
                    unsupported.add(l.name() + " (" + why + ")");
                }
                out.printf(Locale.ROOT, "%-36s %-24s %,12d  %s%s%n", l.name(), l.className(), p,
                        String.join(", ", l.inbound()), why == null ? "" : "   UNSUPPORTED: " + why);
            }
            out.printf(Locale.ROOT, "parameters: %,d in %d weights%n", total, model.weights().size());
            if (!unsupported.isEmpty()) {
                out.println("verdict: NOT compatible; unsupported layers: " + String.join(", ", unsupported));
                out.flush();
                return 2;
            }
            KerasToOnnx.convert(model); // every weight checked against the layer configs and input shapes
            out.println("verdict: compatible (cut points are the layer names; the converted input is NHWC: use "
                    + "preprocessing.layout: nhwc)");
            out.flush();
            return 0;
        }
    }

    @Command(name = "convert", mixinStandardHelpOptions = true,
            description = "Writes the ONNX conversion (NHWC input, opset " + KerasToOnnx.OPSET + ") that the "
                    + "families use when given the Keras file.")
    static final class Convert implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "FILE", description = "model.json (its shards beside it), FILE.keras or FILE.h5.")
        Path file;
        @Option(names = "--output", required = true, paramLabel = "FILE.onnx", description = "Where to write the model.")
        Path output;

        @Override
        public Integer call() {
            if (!output.getFileName().toString().endsWith(".onnx")) {
                throw new InvalidInputException("--output " + output + ": expected a .onnx file name");
            }
            ModelProto proto = KerasToOnnx.convert(KerasModel.read(file));
            AtomicFiles.write(output, proto.toByteArray());
            PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "wrote %s: %d nodes, %d initializers%n", output, proto.getGraph().getNodeCount(),
                    proto.getGraph().getInitializerCount());
            out.flush();
            return 0;
        }
    }
}
