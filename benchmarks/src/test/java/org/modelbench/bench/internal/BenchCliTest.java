package org.modelbench.bench.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.engine.graph.Network;

class BenchCliTest {

    @Test
    void runsEndToEndWithTinyCountsAndPrintsEveryJsonKey(@TempDir Path history) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = BenchCli.execute(List.of("--seconds", "0.01", "--samples", "128", "--batch", "64",
                "--infer-batch", "32", "--threads", "2", "--l2-mlp-epochs", "2", "--python", "/nonexistent/python3",
                "--sgemm-size", "256", "--json", "--save", "--history", history.toString()),
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
        // the OpenBLAS reference: measured when gcc and libopenblas-dev are there (scripts/install-test-deps.sh)
        if (json.get("openblas_gflops").isNull()) {
            String why = json.get("openblas_skipped").asText();
            assertFalse("true".equals(System.getenv("CI")), "CI=true but the OpenBLAS probe was skipped: " + why);
            System.out.println("skipped: OpenBLAS reference (" + why + ")");
        } else {
            assertTrue(json.get("openblas_gflops").asDouble() > 0, json.toString());
            assertTrue(json.get("openblas_config").asText().startsWith("OpenBLAS"), json.toString());
            assertEquals(json.get("sgemm_gflops").asDouble() / json.get("openblas_gflops").asDouble(),
                    json.get("sgemm_vs_openblas").asDouble(), 1e-9);
            assertEquals(json.get("sgemm_java_gflops").asDouble() / json.get("openblas_gflops").asDouble(),
                    json.get("sgemm_java_vs_openblas").asDouble(), 1e-9);
            assertEquals(json.get("sgemm_java_gflops").asDouble() >= json.get("openblas_gflops").asDouble(),
                    json.get("sgemm_java_at_least_openblas").asBoolean());
        }
        assertEquals(256, json.get("sgemm_size").asInt());
        // the engine's kernel as used, and the Java kernel beside it
        assertTrue(json.get("sgemm_java_gflops").asDouble() > 0, json.toString());
        assertEquals(org.modelbench.engine.kernels.Sgemm.nativeBlas(), json.get("sgemm_native").asBoolean());
        assertEquals(org.modelbench.engine.kernels.Sgemm.describe(), json.get("sgemm_kernel_detail").asText());
        if (json.get("sgemm_native").asBoolean()) {
            assertTrue(json.get("sgemm_kernel").asText().startsWith("openblas "), json.toString());
            assertTrue(err.toString().contains("Java SGEMM kernel"), err.toString());
        }
        // the table, on stderr with --json
        assertTrue(err.toString().contains("engine SGEMM / OpenBLAS"), err.toString());
        assertTrue(err.toString().contains(">= 1.50x"), err.toString());
        // --save wrote the same JSON, which --compare reads back
        List<Path> saved;
        try (var files = Files.list(history)) {
            saved = files.toList();
        }
        assertEquals(1, saved.size(), saved.toString());
        assertEquals(json, new ObjectMapper().readTree(saved.get(0).toFile()));
        StringWriter cmp = new StringWriter();
        Map<String, Object> old = BenchComparison.read(saved.get(0));
        Map<String, Object> halved = new java.util.LinkedHashMap<>(old);
        halved.put("engine_train_samples_per_s", ((Number) old.get("engine_train_samples_per_s")).doubleValue() / 2);
        assertEquals(1, BenchComparison.print(old, halved, saved.get(0), new PrintWriter(cmp)), cmp.toString());
        assertTrue(cmp.toString().contains("0.50  REGRESSION"), cmp.toString());
    }

    @Test
    void compareRefusesAFileThatIsNotABenchResult(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("old.json");
        Files.writeString(bad, "{\"threads\": 2}");
        StringWriter err = new StringWriter();
        assertEquals(2, BenchCli.execute(List.of("--compare", bad.toString()), new PrintWriter(new StringWriter()),
                new PrintWriter(err)));
        assertTrue(err.toString().contains(bad + ": not a bench result"), err.toString());
        assertEquals(2, BenchCli.execute(List.of("--compare", dir.resolve("absent.json").toString()),
                new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())));
    }

    @Test
    void readsTheProbesLineAndRefusesOneWithoutWork() throws Exception {
        OpenBlasProbe.Result r = OpenBlasProbe.Result.parse("{\"config\": \"OpenBLAS 0.3.21 DYNAMIC_ARCH\", \"core\": "
                + "\"Haswell\", \"threads\": 2, \"calls\": 10, \"seconds\": 2.5, \"gflops\": 160.0}");
        assertEquals("Haswell", r.core());
        assertEquals(160.0, r.gflops());
        assertThrows(IllegalArgumentException.class, () -> OpenBlasProbe.Result.parse("{\"config\": \"x\", \"core\": "
                + "\"y\", \"threads\": 2, \"calls\": 0, \"seconds\": 2.5, \"gflops\": 0}"));
        assertThrows(java.io.IOException.class, () -> OpenBlasProbe.Result.parse("{\"gflops\": 1}"));
    }

    @Test
    void referencesRunWithoutTheVariablesThatPinOpenBlasToAKernel() throws Exception {
        // This machine kind's shells set OPENBLAS_CORETYPE=Haswell; the child must not see it (nor a
        // cache-size override), while the variables the bench passes on purpose reach it.
        ChildProcess env = ChildProcess.run(List.of("/usr/bin/env"), Map.of("OPENBLAS_NUM_THREADS", "2"), 30);
        assertEquals(0, env.exitCode(), env.output());
        assertTrue(env.output().contains("OPENBLAS_NUM_THREADS=2"), env.output());
        for (String pinned : ChildProcess.PINNING_VARIABLES) {
            assertFalse(env.output().contains(pinned + "="), pinned + " reached the reference: " + env.output());
        }
    }

    @Test
    void figuresMeetTheirTargetsInTheirDirection() {
        assertTrue(Figure.TRAIN_VS_TORCH.meets(1.5));
        assertFalse(Figure.TRAIN_VS_TORCH.meets(1.49));
        assertTrue(Figure.PEAK_RSS.meets(700.0));
        assertFalse(Figure.PEAK_RSS.meets(1100.0));
        assertNull(Figure.TRAIN.meets(100.0));
        assertNull(Figure.SGEMM_VS_OPENBLAS.meets(null));
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
