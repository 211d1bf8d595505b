package org.modelbench.app.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.modelbench.api.TrainingEvent;
import org.modelbench.api.TrainingListener;

/** The progress display: a redrawn bar on a terminal, plain lines otherwise. */
class ProgressTest {
    private static String drive(boolean terminal) throws InterruptedException {
        StringWriter text = new StringWriter();
        TrainingListener l = new Progress(new PrintWriter(text), terminal).trial("[1/2] mlp seed 1");
        l.onEvent(new TrainingEvent.Started(2, 3, 300));
        for (int epoch = 1; epoch <= 2; epoch++) {
            for (int batch = 1; batch <= 3; batch++) {
                Thread.sleep(120);
                l.onEvent(new TrainingEvent.BatchFinished(epoch, batch, 3, 100, 0.5 / epoch));
            }
            l.onEvent(new TrainingEvent.EpochFinished(epoch, 2, 0.5 / epoch, 0.8, 0.6, 0.85, Duration.ofMillis(360)));
        }
        return text.toString();
    }

    @Test
    void terminalRedrawsABarWithEpochBatchLossRateAndEta() throws InterruptedException {
        String out = drive(true);
        assertTrue(out.contains("\r[1/2] mlp seed 1 [###"), out);
        assertTrue(out.matches("(?s).*epoch 1/2 batch 2/3 ETA 0:0\\d loss 0\\.5000 \\d+ samples/s.*"), out);
        assertTrue(out.contains("[1/2] mlp seed 1: epoch 2/2 loss 0.2500 val-acc 0.8500"), out);
    }

    @Test
    void plainOutputHasOnlyWholeLines() throws InterruptedException {
        String out = drive(false);
        assertTrue(!out.contains("\r"), out);
        assertEquals(3, out.lines().count(), out);
        assertTrue(out.lines().toList().get(1).startsWith("[1/2] mlp seed 1: epoch 1/2 loss 0.5000 val-acc 0.8500 ("),
                out);
    }
}
