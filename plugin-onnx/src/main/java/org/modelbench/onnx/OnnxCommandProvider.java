package org.modelbench.onnx;

import java.io.PrintWriter;
import java.util.List;
import org.modelbench.api.spi.CommandProvider;
import org.modelbench.api.spi.ProviderContext;
import org.modelbench.onnx.internal.OnnxCli;

/**
 * {@code modelbench onnx inspect|run|conformance|bench}: the tools for bringing ONNX models in and
 * checking an import against ONNX Runtime. Cheap to construct; ONNX Runtime loads only when a
 * subcommand needs it.
 */
public final class OnnxCommandProvider implements CommandProvider {

    @Override
    public String id() {
        return "onnx";
    }

    @Override
    public String description() {
        return "ONNX tools: inspect, run (native or ONNX Runtime), conformance, bench";
    }

    @Override
    public int execute(List<String> args, PrintWriter out, PrintWriter err, ProviderContext context) {
        return OnnxCli.execute(args, out, err, context.catalogue());
    }
}
