package org.modelbench.app.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
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
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.ModelbenchException;

/**
 * SHA-256 of a folder's content: every regular file's relative path and bytes, in sorted path order.
 *
 * <p>Each entry is framed as {@code len(name) name len(bytes) bytes} (lengths as 8-byte big-endian
 * integers, the name in UTF-8), so no two different folders give the same byte stream. Files are
 * streamed, never read whole. Hidden files (leftover temporaries) are skipped. A symbolic link that
 * leaves the folder is refused.
 */
public final class DirectoryHash {
    private static final int BUFFER = 1 << 16;

    private DirectoryHash() {
    }

    /** The folder's checksum, lower-case hex. */
    public static String sha256(Path directory) {
        return hash(directory, true);
    }

    /**
     * The checksum as bundles written before length framing computed it ({@code name \0 bytes} per
     * file, which two different folders can share). Only for checking the {@code modelSha256} those
     * bundles recorded; never for new checksums.
     */
    public static String legacySha256(Path directory) {
        return hash(directory, false);
    }

    private static String hash(Path directory, boolean framed) {
        MessageDigest digest = sha256Digest();
        byte[] buffer = new byte[BUFFER];
        for (Path file : files(directory)) {
            byte[] name = name(directory, file).getBytes(StandardCharsets.UTF_8);
            try (InputStream in = Files.newInputStream(file)) {
                if (framed) {
                    digest.update(longBytes(name.length));
                    digest.update(name);
                    digest.update(longBytes(Files.size(file)));
                } else {
                    digest.update(name);
                    digest.update((byte) 0);
                }
                for (int n; (n = in.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, n);
                }
            } catch (IOException e) {
                throw new ModelbenchException("cannot hash " + file + ": " + e.getMessage(), e);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The SHA-256 of one file's bytes, streamed, lower-case hex. */
    public static String fileSha256(Path file) {
        MessageDigest digest = sha256Digest();
        byte[] buffer = new byte[BUFFER];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new ModelbenchException("cannot hash " + file + ": " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * The SHA-256 of each file {@link #sha256(Path)} covers, by relative path (sorted); empty when the
     * folder does not exist. Used to name the files that differ when two checksums do.
     */
    public static Map<String, String> fileHashes(Path directory) {
        Map<String, String> out = new TreeMap<>();
        if (Files.isDirectory(directory)) {
            for (Path file : files(directory)) {
                out.put(name(directory, file), fileSha256(file));
            }
        }
        return out;
    }

    /**
     * The regular files below {@code directory}, hidden ones excluded, sorted.
     *
     * @throws InvalidInputException when a symbolic link below the folder points outside it
     */
    static List<Path> files(Path directory) {
        Path real;
        try {
            real = directory.toRealPath();
        } catch (IOException e) {
            throw new InvalidInputException(directory + ": cannot read the folder: " + e.getMessage());
        }
        try (Stream<Path> walk = Files.walk(directory)) {
            return walk.filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> staysInside(p, real))
                    .filter(Files::isRegularFile)
                    .sorted().toList();
        } catch (IOException e) {
            throw new ModelbenchException("cannot list " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code path} is no link or a link that resolves inside {@code folder}; else refused. */
    static boolean staysInside(Path path, Path folder) {
        if (!Files.isSymbolicLink(path)) {
            return true;
        }
        try {
            if (path.toRealPath().startsWith(folder)) {
                return true;
            }
        } catch (IOException e) {
            // a dangling link: refused below like any link that leaves the folder
        }
        throw new InvalidInputException(path + ": a symbolic link that leaves its folder " + folder
                + "; expected a file inside it");
    }

    private static String name(Path directory, Path file) {
        return directory.relativize(file).toString().replace('\\', '/');
    }

    private static byte[] longBytes(long value) {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
