package org.modelbench.app.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.modelbench.api.ModelbenchException;
import org.modelbench.data.DataCache;

/** SHA-256 of a folder's content: every regular file's relative path and bytes, in sorted path order. */
public final class DirectoryHash {
    private DirectoryHash() {
    }

    /** The folder's checksum, lower-case hex. */
    public static String sha256(Path directory) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path file : files(directory)) {
                digest.update(name(directory, file).getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(Files.readAllBytes(file));
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new ModelbenchException("cannot hash " + directory + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The SHA-256 of each file {@link #sha256(Path)} covers, by relative path (sorted); empty when the
     * folder does not exist. Used to name the files that differ when two checksums do.
     */
    public static Map<String, String> fileHashes(Path directory) {
        Map<String, String> out = new TreeMap<>();
        if (Files.isDirectory(directory)) {
            for (Path file : files(directory)) {
                out.put(name(directory, file), DataCache.sha256(file));
            }
        }
        return out;
    }

    /** The regular files below {@code directory}, hidden ones (leftover temporaries) excluded, sorted. */
    private static List<Path> files(Path directory) {
        try (Stream<Path> walk = Files.walk(directory)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        } catch (IOException e) {
            throw new ModelbenchException("cannot list " + directory + ": " + e.getMessage(), e);
        }
    }

    private static String name(Path directory, Path file) {
        return directory.relativize(file).toString().replace('\\', '/');
    }
}
