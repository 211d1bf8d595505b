package org.modelbench.app.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.app.CliRun;

/**
 * Bad data files through {@code modelbench run}: each a one-line error naming file:line[:column] (or the
 * file or folder), exit code 2, nothing written.
 */
class BadDataTest {
    @TempDir
    Path project;

    /** A setup that writes the bad files into the project folder. */
    interface Files_ {
        void write(Path dir) throws IOException;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                bad("ragged CSV row", csv("a,b,y\n1,2,p\n3,4,q\n5,q\n"), "{id: csv, params: {train: t.csv, label: y}}",
                        "t.csv:4: 2 fields; expected 3 like the header"),
                bad("text in a numeric column", csv("a,b,y\n1,2,p\n3,x7,q\n5,6,q\n"),
                        "{id: csv, params: {train: t.csv, label: y}}",
                        "t.csv:3:2: \"x7\" in numeric column 'b' is not a number"),
                bad("missing label column", csv("a,b,y\n1,2,p\n3,4,q\n"), "{id: csv, params: {train: t.csv, label: kind}}",
                        "t.csv:1: no label column 'kind'; the header has 3 columns: a, b, y"),
                bad("empty class folder", images(2, 0), "{id: image-folder, params: {train: img, channels: 1}}",
                        "img/b: no images; expected at least one PNG, JPEG, BMP or GIF"),
                bad("one image when testSplit needs two", images(3, 1),
                        "{id: image-folder, params: {train: img, channels: 1}}",
                        "img/b: 1 image; testSplit needs at least 2 per class"),
                bad("truncated PNG", dir -> {
                    images(2, 2).write(dir);
                    Path png = dir.resolve("img/a/0.png");
                    byte[] bytes = Files.readAllBytes(png);
                    Files.write(png, Arrays.copyOf(bytes, bytes.length / 2));
                }, "{id: image-folder, params: {train: img, channels: 1}}", "img/a/0.png: truncated or damaged PNG"),
                bad(".npy header claiming 10^12 elements", dir -> {
                    npy(dir.resolve("x.npy"), "<f4", "(1000000, 1000000)", new byte[64]);
                    npy(dir.resolve("y.npy"), "|u1", "(4,)", new byte[] {0, 1, 0, 1});
                }, "{id: npy, params: {features: x.npy, labels: y.npy}}",
                        "x.npy at byte 128: the header's shape [1000000, 1000000] declares 1000000000000 values of 4 bytes, "
                                + "but 64 bytes follow the header"),
                bad("labels and features of different lengths", dir -> {
                    npy(dir.resolve("x.npy"), "<f4", "(4, 2)", new byte[32]);
                    npy(dir.resolve("y.npy"), "|u1", "(3,)", new byte[] {0, 1, 0});
                }, "{id: npy, params: {features: x.npy, labels: y.npy}}",
                        "y.npy holds 3 labels but ", "x.npy holds 4 rows; expected one label per row"));
    }

    private static Arguments bad(String name, Files_ files, String dataset, String... expected) {
        return Arguments.of(name, files, dataset, expected);
    }

    private static Files_ csv(String text) {
        return dir -> Files.writeString(dir.resolve("t.csv"), text);
    }

    /** Class folders a and b: {@code a} holds {@code countA} 4x4 grey PNGs, {@code b} {@code countB}. */
    private static Files_ images(int countA, int countB) {
        return dir -> {
            int[] counts = {countA, countB};
            for (int c = 0; c < 2; c++) {
                Path folder = Files.createDirectories(dir.resolve("img").resolve(c == 0 ? "a" : "b"));
                for (int i = 0; i < counts[c]; i++) {
                    BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
                    image.getRaster().setSample(i % 4, c, 0, 200);
                    ImageIO.write(image, "png", folder.resolve(i + ".png").toFile());
                }
            }
        };
    }

    /** A version 1.0 .npy file with the given header fields and raw data bytes. */
    static void npy(Path file, String descr, String shape, byte[] data) throws IOException {
        String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int total = 10 + header.length() + 1;
        int padded = (total + 63) / 64 * 64;
        header = header + " ".repeat(padded - total) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.ISO_8859_1)).put(data);
        Files.write(file, b.array());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void oneLineErrorWithTheFileExitTwoNothingWritten(String name, Files_ files, String dataset, String[] expected)
            throws IOException {
        files.write(project);
        Set<Path> before = listing();
        Path manifest = project.resolve("bad.yaml");
        Files.writeString(manifest, """
                name: bad-data
                dataset: %s
                models:
                  - id: forest
                    family: tribuo-random-forest
                    params: {trees: 2}
                seeds: [1]
                """.formatted(dataset));
        CliRun run = CliRun.of("run", manifest.toString(), "--project-dir", project.toString());
        assertEquals(2, run.exitCode(), name + ": " + run.err());
        String err = run.err().strip();
        assertEquals(1, err.lines().count(), name + ": expected one line, got\n" + err);
        for (String part : expected) {
            assertTrue(err.contains(part), name + ": expected [" + part + "] in\n" + err);
        }
        assertEquals("", run.out());
        Set<Path> after = listing();
        after.remove(manifest);
        assertEquals(before, after, "nothing written");
    }

    private Set<Path> listing() throws IOException {
        try (Stream<Path> walk = Files.walk(project)) {
            return new java.util.TreeSet<>(walk.toList());
        }
    }
}
