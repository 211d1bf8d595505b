package org.modelbench.tribuo;

import org.modelbench.tribuo.config.ExtraTreesConfig;
import org.modelbench.tribuo.internal.TribuoRecipe;

/** The {@code tribuo-extra-trees} family: Tribuo's extremely randomised trees with a voting combiner; see {@link ExtraTreesConfig}. */
public final class ExtraTreesProvider extends TribuoFamilyProvider<ExtraTreesConfig> {

    public ExtraTreesProvider() {
        super("tribuo-extra-trees", "Extra trees (Tribuo ExtraTreesTrainer, random split points, majority vote)", ExtraTreesConfig.class);
    }

    @Override
    TribuoRecipe recipe(ExtraTreesConfig config) {
        return TribuoRecipe.extraTrees(config);
    }

    @Override
    Long seed(ExtraTreesConfig config) {
        return config.seed();
    }
}
