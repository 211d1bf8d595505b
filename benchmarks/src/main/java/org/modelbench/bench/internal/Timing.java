package org.modelbench.bench.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Timing loops and the process's peak resident memory. */
final class Timing {
    private Timing() {
    }

    /** The work done per call of a timed body (samples, FLOPs, ...). */
    interface Body {
        long run();
    }

    /** VmHWM (peak resident set) of this process in MiB, or null where /proc is unavailable. */
    static Double peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    String kb = line.substring(6).trim().split("\\s+")[0];
                    return Long.parseLong(kb) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }
}
