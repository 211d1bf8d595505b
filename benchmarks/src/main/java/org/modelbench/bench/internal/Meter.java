package org.modelbench.bench.internal;

/**
 * Work and wall time summed over the rounds of one contender, so that contenders measured in
 * alternating rounds see the same machine load on average.
 */
final class Meter {
    private double work;
    private double seconds;

    /** Runs {@code body} for at least {@code minSeconds} and {@code minRuns} runs, adding its work and time. */
    void measure(double minSeconds, int minRuns, Timing.Body body) {
        long start = System.nanoTime();
        int runs = 0;
        while (runs < minRuns || (System.nanoTime() - start) / 1e9 < minSeconds) {
            work += body.run();
            runs++;
        }
        seconds += (System.nanoTime() - start) / 1e9;
    }

    /** Adds a rate measured elsewhere (by another process) over {@code overSeconds}. */
    void add(double rate, double overSeconds) {
        work += rate * overSeconds;
        seconds += overSeconds;
    }

    boolean empty() {
        return seconds == 0;
    }

    /** Work per second over every round. */
    double rate() {
        return work / seconds;
    }
}
