package org.modelbench.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.modelbench.api.DataFormatException;
import org.modelbench.api.ModelbenchException;
import org.modelbench.app.run.Bundle;

/**
 * What an executor needs to open a bundle without seeing the driver's file system: the bundle's
 * small files and where providers and data are on the executor's machine. Sent as JSON bytes.
 *
 * @param root             the bundle folder on the driver (also where executors write with
 *                         {@code sharedBundle})
 * @param dataDirectory    the dataset cache
 * @param pluginsDirectory the plugins folder
 * @param sharedBundle     whether executors see {@code root} themselves
 * @param files            the manifest copy, resolved config, lock and plan by file name
 */
public record ShippedBundle(String root, String dataDirectory, String pluginsDirectory, boolean sharedBundle,
                            Map<String, byte[]> files) {
    /** The files a bundle is opened from. */
    static final Set<String> NAMES = Set.of("manifest.yaml", "manifest.json", Bundle.RESOLVED, Bundle.LOCK,
            Bundle.PLAN);

    public ShippedBundle {
        Objects.requireNonNull(root, "root");
        files = Map.copyOf(files);
        for (String name : files.keySet()) {
            if (!NAMES.contains(name)) {
                throw new IllegalArgumentException("files: unexpected " + name + "; expected one of " + NAMES);
            }
        }
    }

    /** The files of {@code bundle}. */
    static ShippedBundle of(Bundle bundle, Path dataDirectory, Path pluginsDirectory, boolean sharedBundle) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String name : NAMES) {
            Path file = bundle.root().resolve(name);
            if (Files.isRegularFile(file)) {
                try {
                    files.put(name, Files.readAllBytes(file));
                } catch (IOException e) {
                    throw new ModelbenchException("cannot read " + file + ": " + e.getMessage(), e);
                }
            }
        }
        return new ShippedBundle(bundle.root().toAbsolutePath().toString(), dataDirectory.toString(),
                pluginsDirectory.toString(), sharedBundle, files);
    }

    /** This value as JSON bytes. */
    byte[] encode() {
        try {
            return Wire.MAPPER.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new ModelbenchException("cannot encode the bundle " + root + ": " + e.getMessage(), e);
        }
    }

    /** The value of {@link #encode()}'s bytes. */
    static ShippedBundle decode(byte[] bytes) {
        try {
            return Wire.MAPPER.readValue(bytes, ShippedBundle.class);
        } catch (IOException e) {
            throw new DataFormatException(Path.of("(bundle sent by the driver)"), -1, e.getMessage(), e);
        }
    }

    /** The SHA-256 of {@code bytes}, hex: an executor's key for a bundle it has opened. */
    static String key(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
