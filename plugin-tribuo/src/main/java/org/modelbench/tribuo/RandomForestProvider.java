package org.modelbench.tribuo;

import org.modelbench.tribuo.config.RandomForestConfig;
import org.modelbench.tribuo.internal.TribuoRecipe;

/** The {@code tribuo-random-forest} family: Tribuo's random forest of CART trees with a voting combiner; see {@link RandomForestConfig}. */
public final class RandomForestProvider extends TribuoFamilyProvider<RandomForestConfig> {

    public RandomForestProvider() {
        super("tribuo-random-forest", "Random forest (Tribuo RandomForestTrainer, CART trees, majority vote)", RandomForestConfig.class);
    }

    @Override
    TribuoRecipe recipe(RandomForestConfig config) {
        return TribuoRecipe.randomForest(config);
    }

    @Override
    Long seed(RandomForestConfig config) {
        return config.seed();
    }
}
