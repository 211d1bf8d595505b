package org.modelbench.engine.kernels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Data cache sizes of one core, in bytes: level 1 data, level 2, and the level 3 share of one core
 * (the whole L3 divided by the CPUs that share it). Read from Linux's
 * {@code /sys/devices/system/cpu/cpu0/cache}; {@link #FALLBACK} where that is absent.
 */
public record CpuCaches(long l1d, long l2, long l3PerCore) {
    /** 32 KiB, 1 MiB, 2 MiB: a common x86 server core. */
    public static final CpuCaches FALLBACK = new CpuCaches(32 << 10, 1 << 20, 2 << 20);

    public CpuCaches {
        if (l1d < 1024 || l2 < l1d || l3PerCore < 0) {
            throw new IllegalArgumentException("implausible cache sizes: L1d " + l1d + ", L2 " + l2 + ", L3 per core "
                    + l3PerCore);
        }
    }

    /** This machine's caches, from {@code /sys}, or {@link #FALLBACK}. */
    public static CpuCaches ofThisMachine() {
        return read(Path.of("/sys/devices/system/cpu/cpu0/cache"));
    }

    static CpuCaches read(Path dir) {
        long l1 = 0;
        long l2 = 0;
        long l3 = 0;
        for (int i = 0; i < 8; i++) {
            Path index = dir.resolve("index" + i);
            if (!Files.isDirectory(index)) {
                continue;
            }
            try {
                String type = Files.readString(index.resolve("type")).trim();
                int level = Integer.parseInt(Files.readString(index.resolve("level")).trim());
                long size = parseSize(Files.readString(index.resolve("size")).trim());
                if (type.equals("Instruction")) {
                    continue;
                }
                switch (level) {
                    case 1 -> l1 = size;
                    case 2 -> l2 = size;
                    case 3 -> l3 = size / Math.max(1, sharers(Files.readString(index.resolve("shared_cpu_list")).trim()));
                    default -> { }
                }
            } catch (IOException | RuntimeException e) {
                return FALLBACK;
            }
        }
        try {
            return l1 > 0 && l2 > 0 ? new CpuCaches(l1, l2, l3) : FALLBACK;
        } catch (IllegalArgumentException e) {
            return FALLBACK;
        }
    }

    /** {@code "48K"}, {@code "1024K"}, {@code "32M"} or plain bytes. */
    static long parseSize(String s) {
        char unit = Character.toUpperCase(s.charAt(s.length() - 1));
        long scale = unit == 'K' ? 1L << 10 : unit == 'M' ? 1L << 20 : unit == 'G' ? 1L << 30 : 1;
        String digits = scale == 1 ? s : s.substring(0, s.length() - 1);
        return Long.parseLong(digits) * scale;
    }

    /** The number of CPUs in a list such as {@code "0-1"} or {@code "0,2,4-7"}. */
    static int sharers(String list) {
        int n = 0;
        for (String part : list.split(",")) {
            int dash = part.indexOf('-');
            n += dash < 0 ? 1 : Integer.parseInt(part.substring(dash + 1)) - Integer.parseInt(part.substring(0, dash)) + 1;
        }
        return n;
    }
}
