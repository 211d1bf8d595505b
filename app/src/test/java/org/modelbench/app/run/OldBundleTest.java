package org.modelbench.app.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.app.CliRun;

/**
 * A bundle written by modelbench at commit 2230f34 (before length-framed model checksums, typed
 * bundle records and self-contained model folders), kept in {@code src/test/resources/bundles/format-1}:
 * logreg, a small cnn and a Tribuo forest on 300 MNIST digits, two seeds. It must still reproduce
 * (every metric and curve; the model files of the families that kept their saved format).
 */
class OldBundleTest {
    static final Path FORMAT_1 = Path.of("src", "test", "resources", "bundles", "format-1");

    @TempDir
    Path temp;

    /** A writable copy of the old bundle. */
    static Path copyOfFormat1(Path into) throws IOException {
        Path copy = into.resolve("format-1");
        EndToEndTest.copyTree(FORMAT_1, copy);
        return copy;
    }

    /** The bundle's trials multiplied with the Java kernel (it predates the native one): rerun with it. */
    static final List<String> JAVA_KERNEL = List.of("-Dmodelbench.engine.blas=java");

    @Test
    void aBundleFromBeforeTheReworkReproducesIdentically() throws IOException {
        Path bundle = copyOfFormat1(temp);
        CliRun r = CliRun.inFreshJvm(JAVA_KERNEL, "reproduce", bundle.toString());
        if (r.exitCode() != 0) {
            // Since 90d5cd7 (histogram trees) the Tribuo family writes different bytes for the same forest
            // (same predictions): every metric and curve must still match, and only those files may differ.
            // The bundle was written on the class path from classes folders, where families said version
            // "dev"; from jars (mvn verify) they say their module version (the jars' Implementation-Version,
            // so that the class path and the module path agree): then familyVersion and the model files that
            // record it (the engine's architecture.json) differ too, and nothing else.
            assertEquals(3, r.exitCode(), r.err() + r.out());
            List<String> rows = r.out().lines().dropWhile(l -> !l.startsWith("-----")).skip(1)
                    .takeWhile(l -> !l.isBlank()).filter(l -> !l.startsWith("every metric")).toList();
            assertTrue(!rows.isEmpty() && rows.stream().allMatch(l -> l.matches(
                    "forest seed [12] +model/tribuo-model\\.(pb\\.gz|properties) +sha256 .*")
                    || l.matches("(logreg|cnn|forest) seed [12] +metrics\\.json +familyVersion +dev +0\\.1\\.0-SNAPSHOT")
                    || l.matches("(logreg|cnn) seed [12] +model/architecture\\.json +sha256 .*")), r.out());
            assertTrue(r.out().contains("every metric is identical; only saved model files differ")
                    || rows.stream().anyMatch(l -> l.contains("familyVersion")), r.out());
        } else {
            assertTrue(r.out().contains("verdict: IDENTICAL: 6 trials"), r.out());
        }
        // the report reads the old resolved.json and lock.json back into their records
        CliRun report = CliRun.of("report", bundle.toString());
        assertEquals(0, report.exitCode(), report.err());
        String md = Files.readString(bundle.resolve(Bundle.REPORT_MD));
        assertTrue(md.contains("| cnn | cnn | 2 |") && md.contains("corrected resampled t-test p"), md);

        Path weights = bundle.resolve("trials/cnn/seed-2/model/weights.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length - 3] ^= 1;
        Files.write(weights, bytes);
        Files.delete(bundle.resolve("trials/forest/seed-1/model/tribuo-model.properties"));
        CliRun tampered = CliRun.inFreshJvm(JAVA_KERNEL, "reproduce", bundle.toString());
        assertEquals(3, tampered.exitCode(), tampered.err() + tampered.out());
        String out = tampered.out();
        assertTrue(out.matches("(?s).*cnn seed 2 +model/weights.safetensors +sha256 .*"), out);
        assertTrue(out.matches("(?s).*cnn seed 2 +model/ +modelSha256 \\(recorded vs now\\) .*"), out);
        assertTrue(out.matches("(?s).*forest seed 1 +model/tribuo-model.properties +sha256 +\\(absent\\) .*"), out);
    }

    /**
     * A bundle whose trials recorded another SGEMM kernel than the rerun's: the verdict names both and how to
     * select the bundle's.
     */
    @Test
    void aBundleMadeWithAnotherKernelSaysSoInTheVerdict() throws IOException {
        Path bundle = copyOfFormat1(temp);
        String kernel = "openblas 0.3.21 Haswell, java below m*n*k 1024";
        for (String seed : List.of("seed-1", "seed-2")) {
            Path provenance = bundle.resolve("trials/logreg/" + seed + "/provenance.json");
            Files.writeString(provenance, Files.readString(provenance).replaceFirst("\"details\" : \\{",
                    "\"details\" : { \"sgemm\" : \"" + kernel + "\","));
        }
        CliRun r = CliRun.inFreshJvm(JAVA_KERNEL, "reproduce", bundle.toString());
        assertEquals(3, r.exitCode(), r.err() + r.out());
        assertTrue(r.out().contains(", and this JVM multiplies with another SGEMM kernel than the bundle:\n"
                + "  the bundle's trials used SGEMM kernel '" + kernel + "', this rerun 'java' (2 trial(s): logreg seed 1, "
                + "logreg seed 2); kernels round differently: rerun with MODELBENCH_BLAS=openblas "
                + "(java -Dmodelbench.engine.blas=openblas) to use the bundle's kernel"), r.out());
    }

    /**
     * A bundle whose numbers differ from the rerun's, one of whose trials recorded another engine algorithm revision
     * and the rest none (they predate revisions): the verdict names the other revision and says the rest's is unknown.
     */
    @Test
    void aBundleFromAnotherEngineRevisionSaysSoInTheVerdict() throws IOException {
        Path bundle = copyOfFormat1(temp);
        Path provenance = bundle.resolve("trials/cnn/seed-1/provenance.json");
        Files.writeString(provenance, Files.readString(provenance).replaceFirst("\"details\" : \\{",
                "\"details\" : { \"engineRevision\" : \"0\","));
        Path metrics = bundle.resolve("trials/cnn/seed-1/metrics.json");
        Files.writeString(metrics, Files.readString(metrics).replace("\"accuracy\" : 0.43,", "\"accuracy\" : 0.44,"));
        CliRun r = CliRun.inFreshJvm(JAVA_KERNEL, "reproduce", bundle.toString());
        assertEquals(3, r.exitCode(), r.err() + r.out());
        assertTrue(r.out().contains(", and this build computes with another engine algorithm revision than the bundle:\n"
                + "  the bundle's trials "), r.out());
        assertTrue(r.out().matches("(?s).*\n  the bundle's trials were computed by engine algorithm revision 0, this rerun "
                + "by revision \\d+; [^\n]*only a build of revision 0 reproduces the bundle's bits: rerun with the build "
                + "that made it \\(1 trial\\(s\\): cnn seed 1\\)\n.*"), r.out());
        assertTrue(r.out().matches("(?s).*  the bundle's trials record no engine algorithm revision \\(.*\\(3 trial\\(s\\): "
                + "logreg seed 1, logreg seed 2, cnn seed 2\\)\n.*"), r.out());
    }

    @Test
    void aBundleWithALinkThatLeavesItIsRefused() throws IOException {
        Path bundle = copyOfFormat1(temp);
        Path outside = Files.writeString(temp.resolve("elsewhere.json"), "[]");
        Path curve = bundle.resolve("trials/logreg/seed-1/curve.json");
        Files.delete(curve);
        Files.createSymbolicLink(curve, outside);
        for (String command : new String[] {"reproduce", "report"}) {
            CliRun r = CliRun.of(command, bundle.toString());
            assertEquals(2, r.exitCode(), command + ": " + r.out());
            assertTrue(r.err().contains("curve.json: a symbolic link that leaves its folder"), r.err());
        }
    }
}
