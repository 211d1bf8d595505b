package org.modelbench.tribuo;

import java.nio.file.Path;
import org.modelbench.api.Model;
import org.modelbench.api.Trainer;
import org.modelbench.api.spi.ModelFamilyProvider;
import org.modelbench.api.spi.ProviderContext;
import org.modelbench.tribuo.internal.SavedTribuoModel;
import org.modelbench.tribuo.internal.TribuoRecipe;
import org.modelbench.tribuo.internal.TribuoTrainer;

/**
 * What the Tribuo families share: training through {@link TribuoTrainer} and loading through
 * {@link SavedTribuoModel}; each subclass names its id, config record and Tribuo recipe.
 *
 * @param <C> the family's configuration record
 */
abstract class TribuoFamilyProvider<C extends Record> implements ModelFamilyProvider<C> {
    private final String id;
    private final String description;
    private final Class<C> configType;

    TribuoFamilyProvider(String id, String description, Class<C> configType) {
        this.id = id;
        this.description = description;
        this.configType = configType;
    }

    /** The Tribuo trainer recipe for {@code config}. */
    abstract TribuoRecipe recipe(C config);

    /** The config's seed override, or {@code null}. */
    abstract Long seed(C config);

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final Class<C> configType() {
        return configType;
    }

    @Override
    public final Trainer trainer(C config, ProviderContext context) {
        return new TribuoTrainer(id, version(), config, seed(config), recipe(config));
    }

    @Override
    public final Model load(Path directory, ProviderContext context) {
        return SavedTribuoModel.load(directory, id, configType);
    }
}
