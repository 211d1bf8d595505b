package org.modelbench.onnx.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import org.modelbench.api.InvalidInputException;
import org.modelbench.data.DataCache;
import org.modelbench.onnx.internal.keras.KerasToOnnx;
import org.modelbench.onnx.internal.keras.KerasModel;

/**
 * Reads a model file given to a family ({@code file:}): an {@code .onnx} file, or a Keras model (the
 * TensorFlow.js layers format's {@code model.json} and its shards, a Keras 3 {@code .keras} file or a
 * legacy {@code .h5} file; see {@link KerasModel}), converted to ONNX on reading (see
 * {@link KerasToOnnx}); all then import, cut, freeze and export the same way.
 */
public final class BaseModelFiles {
    private BaseModelFiles() {
    }

    /** The prefix of a {@code file:} inside the data cache folder, e.g. {@code data:nsfwjs-4.4.0/mobilenet_v2/model.json}. */
    public static final String DATA_PREFIX = "data:";

    /**
     * The path a {@code file:} setting names: as given, or for {@code data:REL} the file REL inside the
     * data cache folder ({@code $MODELBENCH_DATA} or {@code ~/.modelbench/data}), where fetch scripts
     * put pretrained models.
     */
    public static Path resolve(String file) {
        if (!file.startsWith(DATA_PREFIX)) {
            return Path.of(file);
        }
        Path cache = DataCache.defaultDirectory().toAbsolutePath().normalize();
        Path p = cache.resolve(file.substring(DATA_PREFIX.length())).normalize();
        if (!p.startsWith(cache)) {
            throw new InvalidInputException("file " + file + ": outside the data cache folder " + cache);
        }
        if (!Files.isRegularFile(p)) {
            throw new InvalidInputException("file " + file + ": " + p + " is not in the data cache yet (nsfwjs models: "
                    + "run scripts/fetch-nsfwjs.sh)");
        }
        return p;
    }

    /**
     * Checks the file a {@code file:} setting names before a run, cheaply (no weights read): it
     * exists (inside the data cache for {@code data:}), and is a Keras model by its signature or
     * extension, or an ONNX file by its top-level fields.
     *
     * @throws InvalidInputException (exit 2) naming the file otherwise
     */
    public static void check(String file) {
        Path p = resolve(file);
        if (!Files.isRegularFile(p)) {
            throw new InvalidInputException(file + ": no such file (expected an .onnx model, a Keras model.json, "
                    + ".keras or .h5)");
        }
        if (!KerasModel.isKeras(p)) {
            OnnxModelFile.checkFile(p);
        }
    }

    /** The model in {@code file}, as ONNX. */
    public static OnnxModelFile load(Path file) {
        if (KerasModel.isKeras(file)) {
            return OnnxModelFile.of(file, KerasToOnnx.convert(KerasModel.read(file)));
        }
        return OnnxModelFile.load(file);
    }
}
