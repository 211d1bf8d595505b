package org.modelbench.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import org.modelbench.api.Shape;

/**
 * Fashion-MNIST: Zalando's 28x28 grey clothing images, 60,000 train and 10,000 test, ten classes.
 * Taken from Debian's package {@code dataset-fashion-mnist} (gzipped IDX under
 * {@value #SYSTEM_FOLDER}): from the installed files when present, else by
 * {@code apt-get download} and {@code dpkg-deb -x}; the decompressed files are verified and cached.
 */
public final class FashionMnistProvider extends IdxDatasetProvider {
    /** Where the Debian package installs its files. */
    public static final String SYSTEM_FOLDER = "/usr/share/datasets/fashion-mnist";
    static final String DEBIAN_PACKAGE = "dataset-fashion-mnist";
    private static final Map<String, String> CHECKSUMS = Map.of(
            TRAIN_IMAGES, "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
            TRAIN_LABELS, "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
            TEST_IMAGES, "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
            TEST_LABELS, "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34");

    @Override
    public String id() {
        return "fashion-mnist";
    }

    @Override
    public String description() {
        return "Fashion-MNIST clothing images, 28x28 grey, 10 classes";
    }

    @Override
    public Info info() {
        return new Info(60_000, 10_000, Shape.of(1, 28, 28),
                List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
                        "Ankle boot"),
                "Debian package " + DEBIAN_PACKAGE);
    }

    @Override
    Map<String, String> checksums() {
        return CHECKSUMS;
    }

    @Override
    void download(Path staging, Consumer<String> log) throws IOException, InterruptedException {
        Path source = new DebianPackage(DEBIAN_PACKAGE).folder(SYSTEM_FOLDER, TRAIN_IMAGES + ".gz", staging, log);
        for (String name : FILE_NAMES) {
            Path gz = source.resolve(name + ".gz");
            try (InputStream in = new GZIPInputStream(Files.newInputStream(gz), 1 << 16)) {
                Files.copy(in, staging.resolve(name));
            }
        }
    }
}
