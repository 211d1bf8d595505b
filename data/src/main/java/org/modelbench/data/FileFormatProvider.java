package org.modelbench.data;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.modelbench.api.DatasetSplits;
import org.modelbench.api.ModelbenchException;
import org.modelbench.api.Shape;
import org.modelbench.api.spi.DatasetProvider;
import org.modelbench.api.spi.DatasetRequest;

/**
 * A dataset format that reads the user's own files, named in the manifest's {@code dataset.params}:
 * nothing to fetch or cache; its facts are known once it has read the files.
 */
abstract class FileFormatProvider implements DatasetProvider {

    @Override
    public final Info info() {
        return new Info(0, 0, Shape.of(), List.of(), "your files (dataset.params)");
    }

    /** Reads the files to answer (the data is small enough to read twice, or headers suffice). */
    @Override
    public Info info(DatasetRequest request) {
        DatasetSplits splits = load(request);
        return new Info(splits.train().size(), splits.test().size(), splits.train().sampleShape(),
                splits.train().classNames(), id() + " " + splits.train().metadata().get("source"));
    }

    @Override
    public abstract Class<? extends Record> configType();

    @Override
    public abstract DatasetSplits load(DatasetRequest request);

    @Override
    public final List<CachedFile> files(Path cacheDirectory) {
        return List.of();
    }

    @Override
    public final void fetch(Path cacheDirectory, Consumer<String> log) {
        // the user's own files: nothing to fetch
    }

    @Override
    public final DatasetSplits load(Path cacheDirectory, Consumer<String> log) {
        throw new ModelbenchException("the " + id() + " format reads the files named in dataset.params; "
                + "load it with a DatasetRequest");
    }
}
