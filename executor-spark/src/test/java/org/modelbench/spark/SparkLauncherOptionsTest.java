package org.modelbench.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.Test;

/**
 * The launcher and the cluster script start their JVMs with exactly the options Spark 3.5 requires on
 * Java 17 ({@link JavaModuleOptions}), so a Spark upgrade that changes them fails here.
 */
class SparkLauncherOptionsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void launcherAndClusterScriptGiveSparksJavaModuleOptions() throws IOException {
        List<String> expected = List.of(JavaModuleOptions.defaultModuleOptions().split(" "));
        assertTrue(expected.contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"), expected.toString());
        for (Path file : List.of(ROOT.resolve("modelbench"), ROOT.resolve("scripts/spark-standalone.sh"))) {
            Matcher m = Pattern.compile("(?s)\\n\\s*(?:spark_opens|opens)=\"([^\"]*)\"").matcher(Files.readString(file));
            assertTrue(m.find(), "no opens list in " + file);
            assertEquals(expected, List.of(m.group(1).trim().split("\\s+")), file.toString());
        }
    }

    /** The driver's choice of SGEMM kernel goes to the executors, so that their trials multiply as the driver would. */
    @Test
    void theDriversKernelSelectionGoesToTheExecutors() {
        String before = System.getProperty(SparkTrialExecutor.BLAS_PROPERTY);
        try {
            System.clearProperty(SparkTrialExecutor.BLAS_PROPERTY);
            org.junit.jupiter.api.Assertions.assertEquals("", SparkTrialExecutor.blasSelection());
            System.setProperty(SparkTrialExecutor.BLAS_PROPERTY, "java");
            org.junit.jupiter.api.Assertions.assertEquals(" -Dmodelbench.engine.blas=java", SparkTrialExecutor.blasSelection());
            // only a plain word is passed on: never other JVM options
            System.setProperty(SparkTrialExecutor.BLAS_PROPERTY, "java -Xmx1m");
            org.junit.jupiter.api.Assertions.assertEquals("", SparkTrialExecutor.blasSelection());
        } finally {
            if (before == null) {
                System.clearProperty(SparkTrialExecutor.BLAS_PROPERTY);
            } else {
                System.setProperty(SparkTrialExecutor.BLAS_PROPERTY, before);
            }
        }
    }
}
