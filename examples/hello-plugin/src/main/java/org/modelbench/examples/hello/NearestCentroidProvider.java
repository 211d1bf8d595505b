package org.modelbench.examples.hello;

import java.nio.file.Path;
import org.modelbench.api.DataShape;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.Model;
import org.modelbench.api.Trainer;
import org.modelbench.api.spi.ModelFamilyProvider;
import org.modelbench.api.spi.ProviderContext;

/** Provides the {@code hello-nearest-centroid} model family. */
public final class NearestCentroidProvider implements ModelFamilyProvider<NearestCentroidConfig> {
    /** The family id. */
    public static final String ID = "hello-nearest-centroid";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "nearest-centroid classifier (example third-party plugin)";
    }

    @Override
    public Class<NearestCentroidConfig> configType() {
        return NearestCentroidConfig.class;
    }

    @Override
    public Trainer trainer(NearestCentroidConfig config, ProviderContext context) {
        return new NearestCentroidTrainer(config, version());
    }

    /** A centroid per class needs a training row per class: checked before anything runs. */
    @Override
    public void check(NearestCentroidConfig config, DataShape data, ProviderContext context) {
        if (data.trainRows() < data.numClasses()) {
            throw new InvalidInputException(ID + " needs at least one training row per class: " + data.numClasses()
                    + " classes but " + data.trainRows() + " training rows");
        }
    }

    @Override
    public Model load(Path directory, ProviderContext context) {
        return NearestCentroidModel.load(directory);
    }
}
