package org.modelbench.app.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.api.InvalidInputException;

/** Length framing, streaming and symbolic links of {@link DirectoryHash}. */
class DirectoryHashTest {
    @TempDir
    Path temp;

    @Test
    void foldersTheOldFramingConfusedHashDifferently() throws IOException {
        // old framing: "a\0" "x" "b\0" "y" == "a\0" "xb\0y"
        Path two = Files.createDirectories(temp.resolve("two"));
        Files.writeString(two.resolve("a"), "x");
        Files.writeString(two.resolve("b"), "y");
        Path one = Files.createDirectories(temp.resolve("one"));
        Files.write(one.resolve("a"), new byte[] {'x', 'b', 0, 'y'});
        assertEquals(DirectoryHash.legacySha256(two), DirectoryHash.legacySha256(one));
        assertNotEquals(DirectoryHash.sha256(two), DirectoryHash.sha256(one));
    }

    @Test
    void theFramedHashIsTheDocumentedByteStream() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("d"));
        Files.writeString(dir.resolve("w.bin"), "abc");
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub").resolve("z"), "");
        Files.writeString(dir.resolve(".tmp-1"), "leftover, skipped");
        java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(expected);
        out.writeLong(5);
        out.writeBytes("sub/z");
        out.writeLong(0);
        out.writeLong(5);
        out.writeBytes("w.bin");
        out.writeLong(3);
        out.writeBytes("abc");
        String sha = java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(expected.toByteArray()));
        assertEquals(sha, DirectoryHash.sha256(dir));
        assertEquals(java.util.List.of("sub/z", "w.bin"), java.util.List.copyOf(DirectoryHash.fileHashes(dir).keySet()));
        // a file of 3 MB streams through the 64 KB buffer to the same digest as hashing it whole
        byte[] big = new byte[3 << 20];
        new java.util.Random(7).nextBytes(big);
        Files.write(dir.resolve("w.bin"), big);
        assertEquals(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(big)),
                DirectoryHash.fileSha256(dir.resolve("w.bin")));
    }

    @Test
    void aLinkLeavingTheFolderIsRefusedOneInsideIsHashed() throws IOException {
        Path outside = Files.writeString(temp.resolve("secret"), "outside");
        Path dir = Files.createDirectories(temp.resolve("m"));
        Files.writeString(dir.resolve("weights"), "w");
        Files.createSymbolicLink(dir.resolve("alias"), dir.resolve("weights"));
        assertEquals(2, DirectoryHash.fileHashes(dir).size());
        Files.createSymbolicLink(dir.resolve("leak"), outside);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> DirectoryHash.sha256(dir));
        assertTrue(e.getMessage().contains("leak") && e.getMessage().contains("leaves its folder"), e.getMessage());
    }
}
