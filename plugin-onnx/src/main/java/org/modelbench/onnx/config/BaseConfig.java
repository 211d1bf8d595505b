package org.modelbench.onnx.config;

import java.util.Locale;
import org.modelbench.api.ConfigException;

/**
 * The pretrained base of a transfer model.
 *
 * @param file          the .onnx file; required unless {@code pretrain} makes it
 * @param cutAt         node or value name whose output feeds the head (the {@code include_top = FALSE}
 *                      point); default the graph output
 * @param frozen        whether the base is frozen while the head trains, default true
 * @param preprocessing how images become base inputs
 * @param engine        {@code native} (default) or {@code ort}: who computes the frozen features
 * @param pretrain      make the base by training seed-cnn first, or null
 */
public record BaseConfig(String file, String cutAt, Boolean frozen, PreprocessingConfig preprocessing, String engine,
                         PretrainConfig pretrain) {
    public BaseConfig {
        if ((file == null || file.isBlank()) && pretrain == null) {
            throw new ConfigException("file", "missing; expected the path of an .onnx file (or a pretrain section)");
        }
        frozen = frozen == null || frozen;
        preprocessing = preprocessing == null ? PreprocessingConfig.none() : preprocessing;
        engine = engine == null ? "native" : engine.toLowerCase(Locale.ROOT);
        if (!engine.equals("native") && !engine.equals("ort")) {
            throw new ConfigException("engine", "expected native or ort, got " + engine);
        }
    }
}
