package org.modelbench.tribuo;

import org.modelbench.tribuo.config.LogisticConfig;
import org.modelbench.tribuo.internal.TribuoRecipe;

/** The {@code tribuo-logistic} family: Tribuo's multinomial logistic regression by linear SGD; see {@link LogisticConfig}. */
public final class LogisticProvider extends TribuoFamilyProvider<LogisticConfig> {

    public LogisticProvider() {
        super("tribuo-logistic", "Logistic regression (Tribuo LinearSGDTrainer, LogMulticlass loss, AdaGrad)", LogisticConfig.class);
    }

    @Override
    TribuoRecipe recipe(LogisticConfig config) {
        return TribuoRecipe.logistic(config);
    }

    @Override
    Long seed(LogisticConfig config) {
        return config.seed();
    }
}
