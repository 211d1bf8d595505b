package org.modelbench.onnx.internal;

import ai.onnx.proto.OnnxMl.NodeProto;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import org.modelbench.api.Printable;

/** The report of {@code modelbench onnx inspect}. */
final class Inspection {
    private Inspection() {
    }

    static void print(OnnxModelFile model, boolean listNodes, PrintWriter out) {
        var proto = model.proto();
        out.printf("file: %s%n", model.path());
        out.printf("ir version: %d, opset: %d, producer: %s %s%n", proto.getIrVersion(), model.opset(),
                proto.getProducerName().isEmpty() ? "?" : Printable.of(proto.getProducerName()),
                Printable.of(proto.getProducerVersion()));
        out.println("inputs:");
        for (OnnxModelFile.Port p : model.inputs()) {
            out.println("  " + Printable.of(p.describe()));
        }
        out.println("outputs:");
        for (OnnxModelFile.Port p : model.outputs()) {
            out.println("  " + Printable.of(p.describe()));
        }
        Map<String, List<String>> byOp = model.nodesByOperator();
        out.printf("nodes: %d%n", model.graph().getNodeCount());
        byOp.entrySet().stream().sorted((a, b) -> b.getValue().size() - a.getValue().size() != 0
                        ? b.getValue().size() - a.getValue().size() : a.getKey().compareTo(b.getKey()))
                .forEach(e -> out.printf("  %-24s %d%s%n", Printable.of(e.getKey()), e.getValue().size(),
                        Kernels.SUPPORTED.contains(e.getKey()) ? "" : "  (unsupported)"));
        out.printf("parameters: %,d (floating-point initializer scalars)%n", model.parameterCount());
        boolean opsetOk = model.opset() >= OnnxImporter.MIN_OPSET && model.opset() <= OnnxImporter.MAX_OPSET;
        List<Map.Entry<String, List<String>>> unsupported = byOp.entrySet().stream()
                .filter(e -> !Kernels.SUPPORTED.contains(e.getKey())).toList();
        // Supported operators whose attributes the import does not cover (3-D windows, MaxPool indices ...).
        List<String> features = new java.util.ArrayList<>();
        for (NodeProto n : model.graph().getNodeList()) {
            if (Kernels.supports(n) && !n.getOpType().equals("Constant")) {
                try {
                    Kernels.create(new OnnxNode(n, model.opset(), model.path().toString()));
                } catch (UnsupportedFeatureException e) {
                    features.add(Printable.of(e.getMessage().substring(e.getMessage().indexOf("node '")), 1000));
                } catch (RuntimeException e) {
                    // Errors that depend on input values surface at import.
                }
            }
        }
        if (unsupported.isEmpty() && opsetOk && features.isEmpty()) {
            out.println("native import: compatible (every operator is supported)");
        } else {
            out.println("native import: NOT compatible");
            if (!opsetOk) {
                out.printf("  opset %d outside %d..%d%n", model.opset(), OnnxImporter.MIN_OPSET, OnnxImporter.MAX_OPSET);
            }
            for (Map.Entry<String, List<String>> e : unsupported) {
                out.printf("  unsupported %s: %s%n", Printable.of(e.getKey()),
                        e.getValue().stream().map(Printable::of).collect(java.util.stream.Collectors.joining(", ")));
            }
            for (String f : features) {
                out.printf("  unsupported feature: %s%n", f);
            }
        }
        if (listNodes) {
            out.println("node list (name: op -> outputs):");
            for (NodeProto n : model.graph().getNodeList()) {
                out.printf("  %s: %s -> %s%n", Printable.of(OnnxModelFile.nodeName(n)),
                        Printable.of(OnnxModelFile.operatorName(n)),
                        n.getOutputList().stream().map(Printable::of).collect(java.util.stream.Collectors.joining(", ")));
            }
        }
    }
}
