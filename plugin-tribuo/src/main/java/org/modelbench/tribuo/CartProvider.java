package org.modelbench.tribuo;

import org.modelbench.tribuo.config.CartConfig;
import org.modelbench.tribuo.internal.TribuoRecipe;

/** The {@code tribuo-cart} family: one Tribuo CART decision tree; see {@link CartConfig}. */
public final class CartProvider extends TribuoFamilyProvider<CartConfig> {

    public CartProvider() {
        super("tribuo-cart", "One CART decision tree (Tribuo CARTClassificationTrainer, Gini impurity)", CartConfig.class);
    }

    @Override
    TribuoRecipe recipe(CartConfig config) {
        return TribuoRecipe.cart(config);
    }

    @Override
    Long seed(CartConfig config) {
        return config.seed();
    }
}
