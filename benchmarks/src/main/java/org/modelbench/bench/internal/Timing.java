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

    /**
     * Runs {@code body} once to warm up, then repeatedly for at least {@code seconds} and at least
     * {@code minRuns} times: the work done per second.
     */
    static double rate(double seconds, int minRuns, Body body) {
        body.run();
        long start = System.nanoTime();
        long work = 0;
        int runs = 0;
        while (runs < minRuns || (System.nanoTime() - start) / 1e9 < seconds) {
            work += body.run();
            runs++;
        }
        return work / ((System.nanoTime() - start) / 1e9);
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
