package org.modelbench.bench.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.modelbench.engine.graph.Network;

class BenchCliTest {

    @Test
    void runsEndToEndWithTinyCountsAndPrintsEveryJsonKey() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = BenchCli.execute(List.of("--seconds", "0.01", "--samples", "128", "--batch", "64",
                "--infer-batch", "32", "--threads", "2", "--l2-mlp-epochs", "2", "--python", "/nonexistent/python3", "--json"),
                new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, code, err.toString());
        JsonNode json = new ObjectMapper().readTree(out.toString());
        for (String key : List.of("engine_train_samples_per_s", "engine_infer_samples_per_s", "ort_infer_samples_per_s",
                "sgemm_gflops", "engine_train_gflops", "peak_rss_mb")) {
            assertTrue(json.get(key).asDouble() > 0, key + " in " + json);
        }
        assertEquals(2, json.get("threads").asInt());
        assertTrue(json.get("torch_train_samples_per_s").isNull());
        assertTrue(json.get("torch_skipped").asText().contains("/nonexistent/python3 not found"));
        assertTrue(json.get("ort_max_abs_difference").asDouble() < 1e-4, "ORT and the engine disagree: " + json);
        assertEquals(3 * json.get("forward_mflop_per_sample").asDouble(), json.get("train_mflop_per_sample").asDouble(),
                1e-9);
        assertTrue(err.toString().contains("PyTorch:       skipped"), err.toString());
        assertEquals(2, json.get("l2_mlp_epoch_seconds").size());
        assertEquals(0, json.get("l2_mlp_subnormal_weights").asLong());
    }

    @Test
    void countsTheSeedCnnFlopsFromItsLayers() {
        Network net = SeedCnnWorkload.network(1);
        // conv 26*26*32*9 + conv 24*24*64*288 + dense 9216*128 + dense 128*10 multiply-adds
        long macs = 26L * 26 * 32 * 9 + 24L * 24 * 64 * 288 + 9216L * 128 + 128L * 10;
        assertEquals(2 * macs, SeedCnnWorkload.forwardFlops(net));
        assertEquals(23.98, SeedCnnWorkload.forwardFlops(net) / 1e6, 0.01);
    }

    @Test
    void rejectsBadOptionsWithExitTwo() {
        StringWriter err = new StringWriter();
        assertEquals(2, BenchCli.execute(List.of("--threads", "zero"), new PrintWriter(new StringWriter()),
                new PrintWriter(err)));
        assertTrue(err.toString().contains("--threads: expected a positive integer, got 'zero'"), err.toString());
        assertEquals(2, BenchCli.execute(List.of("--samples", "10", "--batch", "128"), new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter())));
        assertNull(BenchCli.parse(List.of("--help")));
    }
}
