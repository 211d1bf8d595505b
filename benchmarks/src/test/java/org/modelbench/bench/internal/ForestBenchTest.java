package org.modelbench.bench.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForestBenchTest {

    @Test
    void fitsTheForestOnASubsetAndReportsItsFigures() throws Exception {
        Path mnist = Path.of(System.getProperty("user.home"), ".modelbench", "data", "mnist");
        if (!Files.isRegularFile(mnist.resolve("train-images-idx3-ubyte"))) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("MNIST missing from " + mnist);
            }
            System.out.println("skipped: MNIST not in " + mnist);
            return;
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = BenchCli.execute(List.of("forest", "--train-rows", "1000", "--trees", "5", "--python",
                "/nonexistent/python3", "--json"), new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, code, err.toString());
        JsonNode json = new ObjectMapper().readTree(out.toString());
        JsonNode plugin = json.get("plugin");
        // 5 trees on 1,000 rows: well above chance on the 10,000 test rows.
        assertTrue(plugin.get("accuracy").asDouble() > 0.7, json.toString());
        assertTrue(plugin.get("fit_seconds").asDouble() > 0 && plugin.get("peak_rss_kib").asLong() > 0, json.toString());
        assertTrue(json.get("sklearn").get("skipped").asText().contains("/nonexistent/python3 not found"));
    }

    @Test
    void badOptionsExitWithTwoAndOneLine() {
        StringWriter err = new StringWriter();
        int code = BenchCli.execute(List.of("forest", "--trees", "0"), new PrintWriter(new StringWriter()),
                new PrintWriter(err));
        assertEquals(2, code);
        assertTrue(err.toString().startsWith("modelbench: error: bench forest: --trees: expected an integer >= 1, got 0"),
                err.toString());
        assertEquals(1, err.toString().strip().lines().count(), "one line, no usage: " + err);
        StringWriter notANumber = new StringWriter();
        assertEquals(2, BenchCli.execute(List.of("forest", "--trees", "many"), new PrintWriter(new StringWriter()),
                new PrintWriter(notANumber)));
        assertEquals("modelbench: error: bench forest: --trees: expected a number, got 'many'"
                + " (see 'modelbench bench forest --help')", notANumber.toString().strip());
    }
}
