package org.modelbench.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A task's outcome survives its trip as JSON, also with a trial file larger than Jackson's default
 * string limit (a 100-tree forest on full MNIST saves about 15 MB, 20 MB as base64).
 */
class TrialOutcomeTest {
    @Test
    void aLargeTrialFileComesBackWhole() {
        byte[] model = new byte[24 << 20];
        new Random(7).nextBytes(model);
        TrialOutcome outcome = new TrialOutcome("forest/seed-1", null, "executor 0 on host", 12.5,
                Map.of("model/tribuo-model.pb.gz", model, "metrics.json", "{}".getBytes()));
        TrialOutcome back = TrialOutcome.decode(outcome.encode());
        assertEquals("forest/seed-1", back.id());
        assertEquals(12.5, back.seconds());
        assertArrayEquals(model, back.files().get("model/tribuo-model.pb.gz"));
    }
}
