package org.modelbench.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuCachesTest {

    private static void index(Path dir, int i, int level, String type, String size, String shared) throws IOException {
        Path d = Files.createDirectories(dir.resolve("index" + i));
        Files.writeString(d.resolve("level"), level + "\n");
        Files.writeString(d.resolve("type"), type + "\n");
        Files.writeString(d.resolve("size"), size + "\n");
        Files.writeString(d.resolve("shared_cpu_list"), shared + "\n");
    }

    @Test
    void readsLinuxCacheDirectoriesAndSplitsL3OverItsSharers(@TempDir Path dir) throws IOException {
        index(dir, 0, 1, "Data", "48K", "0");
        index(dir, 1, 1, "Instruction", "32K", "0");
        index(dir, 2, 2, "Unified", "1024K", "0");
        index(dir, 3, 3, "Unified", "32768K", "0-1");
        assertEquals(new CpuCaches(48 << 10, 1 << 20, 16 << 20), CpuCaches.read(dir));
    }

    @Test
    void fallsBackWhenTheDirectoryIsMissingOrGarbled(@TempDir Path dir) throws IOException {
        assertEquals(CpuCaches.FALLBACK, CpuCaches.read(dir.resolve("absent")));
        index(dir, 0, 1, "Data", "lots", "0");
        assertEquals(CpuCaches.FALLBACK, CpuCaches.read(dir));
    }

    @Test
    void parsesSizesAndCpuLists() {
        assertEquals(32L << 20, CpuCaches.parseSize("32M"));
        assertEquals(512, CpuCaches.parseSize("512"));
        assertEquals(6, CpuCaches.sharers("0,2,4-7"));
    }
}
