package org.modelbench.app.run;

import java.io.PrintWriter;
import org.modelbench.api.TrainingEvent;
import org.modelbench.api.TrainingListener;

/**
 * Shows training progress: on a terminal a bar redrawn in place (epoch, batch, loss, samples/s,
 * ETA); otherwise plain log lines (one per epoch and per trial).
 */
public final class Progress {
    private static final long REDRAW_NANOS = 100_000_000L;
    /** The bar's width: {@code $COLUMNS - 1} when set (a wrapped line cannot be redrawn), else 119. */
    private static final int WIDTH = columns() - 1;
    private final PrintWriter out;
    private final boolean terminal;
    private boolean barShown;

    /**
     * @param out      where lines go
     * @param terminal whether {@code out} is an interactive terminal (redraw with carriage returns)
     */
    public Progress(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** Prints a line (clearing the bar first on a terminal). */
    public synchronized void line(String text) {
        clearBar();
        out.println(text);
        out.flush();
    }

    /** A listener for one trial, labelled e.g. {@code [2/6] mlp seed 1}. */
    public TrainingListener trial(String label) {
        return new TrialListener(label);
    }

    private void clearBar() {
        if (barShown) {
            out.print("\r" + " ".repeat(WIDTH) + "\r");
            barShown = false;
        }
    }

    private synchronized void bar(String text) {
        out.print("\r" + (text.length() > WIDTH ? text.substring(0, WIDTH) : String.format("%-" + WIDTH + "s", text)));
        out.flush();
        barShown = true;
    }

    private static int columns() {
        try {
            int columns = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "120").trim());
            return Math.max(40, columns);
        } catch (NumberFormatException e) {
            return 120;
        }
    }

    /** {@code seconds} as {@code m:ss}, or {@code h:mm:ss} from an hour on. */
    public static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format("%d:%02d", s / 60, s % 60);
    }

    private final class TrialListener implements TrainingListener {
        private final String label;
        private long start;
        private long lastDraw;
        private int epochs = 1;
        private int batchesPerEpoch = 1;
        private long batchesDone;
        private long samplesDone;

        TrialListener(String label) {
            this.label = label;
        }

        @Override
        public void onEvent(TrainingEvent event) {
            long now = System.nanoTime();
            if (start == 0) {
                start = now;
            }
            if (event instanceof TrainingEvent.Started s) {
                start = now;
                epochs = Math.max(1, s.epochs());
                batchesPerEpoch = Math.max(1, s.batchesPerEpoch());
                line(label + ": training on " + s.samples() + " rows, " + s.epochs() + " epoch(s) of "
                        + s.batchesPerEpoch() + " batches");
            } else if (event instanceof TrainingEvent.BatchFinished b) {
                batchesDone++;
                samplesDone += b.samples();
                if (terminal && now - lastDraw > REDRAW_NANOS) {
                    lastDraw = now;
                    double elapsed = (now - start) / 1e9;
                    long total = (long) epochs * batchesPerEpoch;
                    double eta = batchesDone == 0 ? 0 : elapsed * (total - batchesDone) / batchesDone;
                    int width = 20;
                    int filled = (int) Math.min(width, width * batchesDone / Math.max(1, total));
                    bar(String.format("%s [%s%s] epoch %d/%d batch %d/%d ETA %s loss %.4f %.0f samples/s", label,
                            "#".repeat(filled), "-".repeat(width - filled), b.epoch(), epochs, b.batch(), b.batches(),
                            duration(eta), b.loss(), samplesDone / Math.max(1e-9, elapsed)));
                }
            } else if (event instanceof TrainingEvent.EpochFinished e) {
                double elapsed = (now - start) / 1e9;
                long total = (long) epochs * batchesPerEpoch;
                double eta = e.epoch() >= e.epochs() ? 0 : elapsed * (e.epochs() - e.epoch()) / e.epoch();
                StringBuilder sb = new StringBuilder(label).append(": epoch ").append(e.epoch()).append('/')
                        .append(e.epochs());
                if (Double.isFinite(e.trainLoss())) {
                    sb.append(String.format(" loss %.4f", e.trainLoss()));
                }
                if (Double.isFinite(e.validationAccuracy())) {
                    sb.append(String.format(" val-acc %.4f", e.validationAccuracy()));
                }
                sb.append(String.format(" (%.1f s, %.0f samples/s, ETA %s)", e.elapsed().toNanos() / 1e9,
                        samplesDone / Math.max(1e-9, elapsed), duration(eta)));
                line(sb.toString());
                batchesDone = Math.max(batchesDone, Math.min(total, (long) e.epoch() * batchesPerEpoch));
            } else if (event instanceof TrainingEvent.Message m) {
                line(label + ": " + m.text());
            }
        }
    }
}
