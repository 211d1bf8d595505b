package org.modelbench.tribuo.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.modelbench.fuzz.FuzzFiles;
import org.modelbench.tribuo.config.RandomForestConfig;

/**
 * Saved Tribuo models: the sidecar properties and the protobuf model (gzipped here, so the fuzzer
 * mutates the message itself).
 */
class SavedTribuoModelFuzzTest {
    /** Separates the sidecar from the model in an input. */
    static final String SEPARATOR = "\n--model--\n";

    /**
     * An input is the sidecar (empty: a valid default), {@value #SEPARATOR}, then the serialized model,
     * which is gzipped here unless it is gzip already.
     */
    @FuzzTest(maxExecutions = 100_000, maxDuration = "20m")
    void savedModels(byte[] input) {
        Path dir = FuzzFiles.folder("tribuo/model");
        String text = new String(input, StandardCharsets.ISO_8859_1);
        int cut = text.indexOf(SEPARATOR);
        String sidecar = cut < 0 ? "" : text.substring(0, cut);
        byte[] model = (cut < 0 ? text : text.substring(cut + SEPARATOR.length())).getBytes(StandardCharsets.ISO_8859_1);
        boolean gzipIt = model.length < 2 || (model[0] & 0xFF) != 0x1f || (model[1] & 0xFF) != 0x8b;
        FuzzFiles.write(dir, "modelbench-model.properties",
                "family=tribuo-random-forest\nformat-version=1\n".getBytes(StandardCharsets.UTF_8));
        FuzzFiles.write(dir, SavedTribuoModel.SIDECAR_FILE, (sidecar.isEmpty() ? DEFAULT_SIDECAR : sidecar)
                .getBytes(StandardCharsets.ISO_8859_1));
        FuzzFiles.write(dir, SavedTribuoModel.MODEL_FILE, gzipIt ? gzip(model) : model);
        FuzzFiles.expectOnlyTypedErrors(() -> SavedTribuoModel.load(dir, "tribuo-random-forest",
                RandomForestConfig.class));
    }

    static final String DEFAULT_SIDECAR = """
            class.0=a
            class.1=b
            classes=2
            config.featureFraction=0.1
            config.maxDepth=4
            config.minChildWeight=1.0
            config.trees=3
            family-version=fuzz
            sample-shape=1x2x2
            seed=1
            threads=1
            """;

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
