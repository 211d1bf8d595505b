package org.modelbench.tribuo.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.modelbench.api.Dataset;
import org.modelbench.api.RunContext;
import org.modelbench.api.spi.ProviderContext;
import org.modelbench.tribuo.MnistSubsets;
import org.modelbench.tribuo.RandomForestProvider;
import org.modelbench.tribuo.config.RandomForestConfig;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.protos.core.ModelProto;

class ProvenanceTimestampsTest {

    private static String text(ModelProto proto) {
        return new String(proto.toByteArray(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void timestampsOfAnyLengthPinToTheSameBytesAndTheModelStillLoads() {
        Dataset train = MnistSubsets.train(300);
        var model = (TribuoClassifier) new RandomForestProvider()
                .trainer(new RandomForestConfig(5, null, null, null, null), ProviderContext.empty()).train(train, RunContext.of(3));
        ModelProto proto = model.tribuoModel().serialize();
        // a forest of five trees: the ensemble's own and every member's provenance carry wall-clock times
        assertTrue(ProvenanceTimestamps.find(text(proto)).size() >= 6, text(proto));

        // the clock's digits vary from run to run: nine fraction digits, or six when the last three are zero
        ModelProto nine = ProvenanceTimestamps.rewrite(proto, m -> "2026-11-26T17:20:26.123456789Z");
        ModelProto six = ProvenanceTimestamps.rewrite(proto, m -> "2026-11-26T17:20:26.123456Z");
        ModelProto offset = ProvenanceTimestamps.rewrite(proto, m -> "2031-01-02T03:04:05+01:00");
        assertNotEquals(nine.toByteArray().length, six.toByteArray().length);
        byte[] pinned = ProvenanceTimestamps.pin(nine).toByteArray();
        assertArrayEquals(pinned, ProvenanceTimestamps.pin(six).toByteArray());
        assertArrayEquals(pinned, ProvenanceTimestamps.pin(offset).toByteArray());
        assertEquals(List.of(ProvenanceTimestamps.EPOCH + "Z"),
                ProvenanceTimestamps.find(text(ProvenanceTimestamps.pin(six))).stream().distinct().toList());

        // the pinned model deserialises and predicts exactly as the trained one
        Model<?> reloaded = Model.deserialize(ProvenanceTimestamps.pin(proto));
        List<Example<Label>> rows = model.examples().unlabelled(MnistSubsets.test(50).features(), 0, 50);
        List<Prediction<Label>> expected = model.tribuoModel().predict(rows);
        @SuppressWarnings("unchecked")
        List<Prediction<Label>> actual = ((Model<Label>) reloaded).predict(rows);
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(expected.get(i).getOutput(), actual.get(i).getOutput(), "row " + i);
            assertEquals(expected.get(i).getOutputScores(), actual.get(i).getOutputScores(), "row " + i);
        }
    }
}
