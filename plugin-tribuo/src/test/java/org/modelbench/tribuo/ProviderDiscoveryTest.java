package org.modelbench.tribuo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.modelbench.api.spi.ModelFamilyProvider;
import org.modelbench.tribuo.config.CartConfig;
import org.modelbench.tribuo.config.ExtraTreesConfig;
import org.modelbench.tribuo.config.LogisticConfig;
import org.modelbench.tribuo.config.RandomForestConfig;

class ProviderDiscoveryTest {

    @Test
    void serviceLoaderFindsTheFourFamilies() {
        @SuppressWarnings("rawtypes")
        Set<String> ids = ServiceLoader.load(ModelFamilyProvider.class).stream()
                .map(p -> p.get().id()).collect(Collectors.toSet());
        assertEquals(Set.of("tribuo-random-forest", "tribuo-extra-trees", "tribuo-cart", "tribuo-logistic"), ids);
    }

    @Test
    void providersNameTheirConfigRecords() {
        assertEquals(RandomForestConfig.class, new RandomForestProvider().configType());
        assertEquals(ExtraTreesConfig.class, new ExtraTreesProvider().configType());
        assertEquals(CartConfig.class, new CartProvider().configType());
        assertEquals(LogisticConfig.class, new LogisticProvider().configType());
    }
}
