package org.modelbench.bench;

import java.io.PrintWriter;
import java.util.List;
import org.modelbench.api.spi.CommandProvider;
import org.modelbench.api.spi.ProviderContext;
import org.modelbench.bench.internal.BenchCli;

/**
 * {@code modelbench bench}: training and inference speed of the native engine on the seed CNN,
 * as ratios against references measured in the same run. Cheap to construct.
 */
public final class BenchCommandProvider implements CommandProvider {

    @Override
    public String id() {
        return "bench";
    }

    @Override
    public String description() {
        return "engine speed on the seed CNN vs SGEMM peak, ONNX Runtime and PyTorch (same run)";
    }

    @Override
    public int execute(List<String> args, PrintWriter out, PrintWriter err, ProviderContext context) {
        return BenchCli.execute(args, out, err);
    }
}
