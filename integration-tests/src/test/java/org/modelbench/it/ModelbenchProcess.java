package org.modelbench.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code modelbench} application on the module path in a child JVM. */
final class ModelbenchProcess {
    /** The folder holding the app and every runtime module. */
    static final Path APP_MODULES = Path.of(System.getProperty("modelbench.appModules", "target/app-modules"));
    /** The folder holding the example plugin's jar. */
    static final Path PLUGIN_JARS = Path.of(System.getProperty("modelbench.pluginJars", "target/plugin-jars"));
    /** The repository root (for shipped manifests). */
    static final Path REPOSITORY = Path.of(System.getProperty("modelbench.repository", "..")).toAbsolutePath().normalize();

    /**
     * The outcome of one run.
     *
     * @param exitCode the process exit code
     * @param out      standard output
     * @param err      standard error
     */
    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    private ModelbenchProcess() {
    }

    /** The command line that starts the app. */
    static List<String> command(String... args) {
        return command(APP_MODULES, args);
    }

    /** The command line that starts the app with {@code modulePath} as its module path. */
    static List<String> command(Path modulePath, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.awt.headless=true", "-Xmx3g",
                "--module-path", modulePath.toString(),
                "-m", "org.modelbench.app/org.modelbench.app.Main"));
        command.addAll(List.of(args));
        return command;
    }

    /** Runs the app in {@code workDir} with {@code args}, waiting at most {@code timeoutSeconds}. */
    static Result run(Path workDir, long timeoutSeconds, String... args) throws IOException, InterruptedException {
        return run(APP_MODULES, workDir, timeoutSeconds, args);
    }

    /** Runs the app on the module path {@code modulePath} in {@code workDir} with {@code args}. */
    static Result run(Path modulePath, Path workDir, long timeoutSeconds, String... args)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("modelbench-out", ".txt");
        Path err = Files.createTempFile("modelbench-err", ".txt");
        try {
            Process process = new ProcessBuilder(command(modulePath, args)).directory(workDir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("modelbench " + String.join(" ", args) + " did not finish in "
                        + timeoutSeconds + " s; output so far:\n" + Files.readString(out) + Files.readString(err));
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
