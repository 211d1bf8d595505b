package org.modelbench.engine.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.modelbench.api.spi.ProviderContext;
import org.modelbench.fuzz.FuzzFiles;

/**
 * The engine's saved models: architecture.json (whose weights size and SHA-256 are made to match, so
 * the fuzzer gets past them into the network) and the safetensors weights.
 */
class EngineModelFuzzTest {
    private static final Path DIR = FuzzFiles.folder("engine");
    private static final Families.LogReg LOGREG = new Families.LogReg();
    private static final ProviderContext CONTEXT = ProviderContext.discover();

    /** Separates architecture.json from the weights in an input. */
    static final String SEPARATOR = "\n--weights--\n";

    /**
     * An input is architecture.json, {@value #SEPARATOR}, then the weights; {@code $BYTES} and
     * {@code $SHA256} in the architecture are replaced by the weights' size and checksum.
     */
    @FuzzTest(maxExecutions = 100_000, maxDuration = "20m")
    void savedModels(byte[] input) {
        Path dir = FuzzFiles.folder("engine/model");
        String text = new String(input, StandardCharsets.ISO_8859_1);
        int cut = text.indexOf(SEPARATOR);
        byte[] weights = cut < 0 ? new byte[0] : text.substring(cut + SEPARATOR.length()).getBytes(StandardCharsets.ISO_8859_1);
        String arch = (cut < 0 ? text : text.substring(0, cut)).replace("$BYTES", Integer.toString(weights.length))
                .replace("$SHA256", ModelFiles.sha256(weights));
        FuzzFiles.write(dir, "modelbench-model.properties",
                "family=logreg\nformat-version=1\n".getBytes(StandardCharsets.UTF_8));
        FuzzFiles.write(dir, ModelFiles.WEIGHTS, weights);
        FuzzFiles.write(dir, ModelFiles.ARCHITECTURE, arch.getBytes(StandardCharsets.ISO_8859_1));
        FuzzFiles.expectOnlyTypedErrors(() -> LOGREG.load(dir, CONTEXT));
    }

    @FuzzTest(maxExecutions = 100_000, maxDuration = "20m")
    void safetensors(byte[] bytes) {
        FuzzFiles.expectOnlyTypedErrors(() -> Safetensors.read(bytes, DIR.resolve("weights.safetensors")));
    }
}
