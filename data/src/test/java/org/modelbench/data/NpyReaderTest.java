package org.modelbench.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.api.DatasetSplits;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.RecordBinder;
import org.modelbench.api.spi.DatasetRequest;
import org.modelbench.data.config.NpyConfig;
import org.modelbench.data.config.NpzConfig;

/** NumPy arrays written by numpy itself (src/test/resources/npy), and hostile headers. */
class NpyReaderTest {
    private static final Path DIR = Path.of("src/test/resources/npy").toAbsolutePath();
    private static final float[] X = {0, .25f, .5f, .75f, 1, 1.25f, 1.5f, 1.75f, 2, 2.25f, 2.5f, 2.75f};

    @TempDir
    Path tmp;

    @Test
    void everyElementTypeAndHeaderVersionReadsAsNumpyWroteIt() {
        for (String name : List.of("x_f4.npy", "x_f8.npy", "x_v2.npy")) {
            NpyReader.NpyArray a = NpyReader.read(DIR.resolve(name));
            assertArrayEquals(new int[] {6, 2}, a.shape(), name);
            assertArrayEquals(X, a.values(), name);
        }
        for (String name : List.of("y_u1.npy", "y_i4.npy", "y_i8.npy")) {
            NpyReader.NpyArray a = NpyReader.read(DIR.resolve(name));
            assertTrue(a.isInteger());
            assertArrayEquals(new float[] {0, 1, 2, 0, 1, 2}, a.values(), name);
        }
        assertArrayEquals(X, NpyReader.read(DIR.resolve("data.npz"), "x").values());
    }

    @Test
    void providersBuildDatasetsAndHoldOutAStratifiedSplit() {
        NpyConfig npy = RecordBinder.bind(Map.of("features", "x_f4.npy", "labels", "y_u1.npy",
                "testFeatures", "x_f8.npy", "testLabels", "y_i8.npy", "classes", List.of("a", "b", "c")),
                NpyConfig.class, "dataset.params");
        DatasetSplits s = new NpyDatasetProvider.Npy().load(new DatasetRequest(npy, DIR, tmp, null));
        assertEquals("2", s.train().sampleShape().toString());
        assertEquals(List.of("a", "b", "c"), s.test().classNames());
        assertArrayEquals(new int[] {0, 1, 2, 0, 1, 2}, s.test().labels());
        NpyConfig seq = RecordBinder.bind(Map.of("features", "seq_f4.npy", "labels", "y_i4.npy", "testSplit", 0.5),
                NpyConfig.class, "dataset.params");
        DatasetSplits sequences = new NpyDatasetProvider.Npy().load(new DatasetRequest(seq, DIR, tmp, null));
        assertEquals("2x2", sequences.train().sampleShape().toString());
        assertArrayEquals(new int[] {1, 1, 1}, sequences.test().labelCounts());
        NpzConfig npz = RecordBinder.bind(Map.of("train", "data.npz", "testSplit", 0.5), NpzConfig.class, "p");
        DatasetSplits z = new NpyDatasetProvider.Npz().load(new DatasetRequest(npz, DIR, tmp, null));
        assertEquals(List.of("0", "1", "2"), z.train().classNames());
        assertEquals(3, z.train().size());
    }

    @Test
    void hostileFilesFailOnOneLineWithoutAllocating() throws IOException {
        assertEquals(DIR.resolve("huge.npy") + " at byte 82: the header's shape [1000000, 1000000] declares "
                + "1000000000000 values of 4 bytes, but 16 bytes follow the header",
                assertThrows(InvalidInputException.class, () -> NpyReader.read(DIR.resolve("huge.npy"))).getMessage());
        assertTrue(message("x_fortran.npy").contains("fortran_order is True; expected C order"));
        byte[] bytes = Files.readAllBytes(DIR.resolve("x_f4.npy"));
        Path truncated = tmp.resolve("t.npy");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length - 3));
        assertEquals(truncated + " at byte 128: the header's shape [6, 2] declares 12 values of 4 bytes, but 45 bytes "
                + "follow the header", assertThrows(InvalidInputException.class, () -> NpyReader.read(truncated))
                .getMessage());
        Files.write(truncated, "not numpy".getBytes());
        assertEquals(truncated + " at byte 0: not a .npy array: expected the magic bytes \\x93NUMPY",
                assertThrows(InvalidInputException.class, () -> NpyReader.read(truncated)).getMessage());
        NpyConfig mismatched = RecordBinder.bind(Map.of("features", "x_f4.npy", "labels", "y_short.npy"),
                NpyConfig.class, "dataset.params");
        assertEquals(DIR.resolve("y_short.npy") + " holds 5 labels but " + DIR.resolve("x_f4.npy")
                + " holds 6 rows; expected one label per row", assertThrows(InvalidInputException.class,
                () -> new NpyDatasetProvider.Npy().load(new DatasetRequest(mismatched, DIR, tmp, null))).getMessage());
        NpyConfig floatLabels = RecordBinder.bind(Map.of("features", "x_f4.npy", "labels", "x_f4.npy"),
                NpyConfig.class, "dataset.params");
        assertTrue(assertThrows(InvalidInputException.class,
                () -> new NpyDatasetProvider.Npy().load(new DatasetRequest(floatLabels, DIR, tmp, null))).getMessage()
                .contains("expected labels of shape [N] with an integer type"));
    }

    private static String message(String name) {
        return assertThrows(InvalidInputException.class, () -> NpyReader.read(DIR.resolve(name))).getMessage();
    }
}
