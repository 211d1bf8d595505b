package org.modelbench.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.SoftReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.modelbench.api.DatasetSplits;
import org.modelbench.api.ModelbenchException;
import org.modelbench.api.Shape;
import org.modelbench.api.spi.DatasetProvider;
import org.modelbench.api.spi.DatasetRequest;

/**
 * A dataset format that reads the user's own files, named in the manifest's {@code dataset.params}:
 * nothing to fetch or cache; its facts are known once it has read the files.
 *
 * <p>The files are read once for {@link #info(DatasetRequest)} (checking a manifest) and the
 * {@link #load(DatasetRequest)} that follows: info keeps what it read (softly, so memory pressure
 * may drop it) and the next load of the same params hands it over, when no file it read has changed
 * size or modification time since; the lines info logged are logged again to the load's log.
 */
abstract class FileFormatProvider implements DatasetProvider {
    private final Object lock = new Object();
    /** What the last {@link #info(DatasetRequest)} read, until a load takes it. */
    private Read last;

    private record Read(Record config, Path baseDirectory, SoftReference<DatasetSplits> splits, List<String> stamps,
                        List<String> logged) {
    }

    @Override
    public final Info info() {
        return new Info(0, 0, Shape.of(), List.of(), "your files (dataset.params)");
    }

    /** Reads the files to answer, and keeps the data for the load that follows. */
    @Override
    public final Info info(DatasetRequest request) {
        List<String> logged = new ArrayList<>();
        DatasetSplits splits = read(new DatasetRequest(request.config(), request.baseDirectory(),
                request.cacheDirectory(), line -> {
                    logged.add(line);
                    request.log().accept(line);
                }));
        synchronized (lock) {
            last = new Read(request.config(), request.baseDirectory(), new SoftReference<>(splits),
                    stamps(request, splits), List.copyOf(logged));
        }
        return new Info(splits.train().size(), splits.test().size(), splits.train().sampleShape(),
                splits.train().classNames(), id() + " " + splits.train().metadata().get("source"));
    }

    @Override
    public abstract Class<? extends Record> configType();

    /** The data, as read by the last {@link #info(DatasetRequest)} of the same params when its files are unchanged. */
    @Override
    public final DatasetSplits load(DatasetRequest request) {
        Read kept;
        synchronized (lock) {
            kept = last;
            last = null;
        }
        if (kept != null && kept.config().equals(request.config())
                && kept.baseDirectory().equals(request.baseDirectory())) {
            DatasetSplits splits = kept.splits().get();
            if (splits != null && kept.stamps().equals(stamps(request, splits))) {
                kept.logged().forEach(request.log());
                return splits;
            }
        }
        return read(request);
    }

    /** Reads the files {@code request}'s config names. */
    abstract DatasetSplits read(DatasetRequest request);

    /**
     * Size and modification time of every file the data came from (the {@code sha256:} entries of its
     * metadata; a folder's entry, ending in {@code /}, stands for every file under it).
     */
    private static List<String> stamps(DatasetRequest request, DatasetSplits splits) {
        List<String> stamps = new ArrayList<>();
        for (String key : splits.train().metadata().keySet()) {
            if (!key.startsWith("sha256:")) {
                continue;
            }
            Path path = request.resolve(key.substring("sha256:".length()));
            try (Stream<Path> files = Files.isDirectory(path) ? Files.walk(path) : Stream.of(path)) {
                files.filter(Files::isRegularFile).sorted().forEach(f -> stamps.add(stamp(f)));
            } catch (IOException e) {
                stamps.add(path + " unreadable: " + e.getMessage());
            } catch (UncheckedIOException e) {
                stamps.add(path + " unreadable: " + e.getCause().getMessage());
            }
        }
        return stamps;
    }

    private static String stamp(Path file) {
        try {
            return file + " " + Files.size(file) + " " + Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return file + " unreadable: " + e.getMessage();
        }
    }

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
