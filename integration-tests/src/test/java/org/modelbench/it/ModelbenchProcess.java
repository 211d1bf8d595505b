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
        return command(modulePath, "3g", args);
    }

    /** The command line that starts the app from {@code modulePath} with a heap of at most {@code maxHeap} (e.g. {@code 768m}). */
    static List<String> command(Path modulePath, String maxHeap, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.awt.headless=true", "-Xmx" + maxHeap,
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
        return run(workDir, timeoutSeconds, command(modulePath, args));
    }

    /** GNU time, which reports a child's peak resident set size; absent on some systems. */
    static final Path GNU_TIME = Path.of("/usr/bin/time");

    /**
     * The outcome of a run under a heap of {@code maxHeap}, with the process's peak resident set size.
     *
     * @param peakRssKiB the child JVM's peak RSS (VmHWM, as GNU time reports it) in KiB, or -1 when GNU
     *                   time is not installed
     */
    record Measured(Result result, long peakRssKiB) {
    }

    /** Runs the app in {@code workDir} with {@code args} and a heap of at most {@code maxHeap}, measuring its peak RSS. */
    static Measured runMeasured(Path workDir, long timeoutSeconds, String maxHeap, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        boolean measured = Files.isExecutable(GNU_TIME);
        if (measured) {
            command.addAll(List.of(GNU_TIME.toString(), "-f", RSS_MARK + "%M"));
        }
        command.addAll(command(APP_MODULES, maxHeap, args));
        Result r = run(workDir, timeoutSeconds, command);
        if (!measured) {
            return new Measured(r, -1);
        }
        int mark = r.err().lastIndexOf(RSS_MARK);
        if (mark < 0) {
            throw new AssertionError("GNU time printed no peak RSS:\n" + r);
        }
        long rss = Long.parseLong(r.err().substring(mark + RSS_MARK.length()).trim());
        String err = r.err().substring(0, mark).replaceAll("Command exited with non-zero status \\d+\\R?$", "");
        return new Measured(new Result(r.exitCode(), r.out(), err), rss);
    }

    private static final String RSS_MARK = "modelbench-peak-rss-kib=";

    private static Result run(Path workDir, long timeoutSeconds, List<String> command)
            throws IOException, InterruptedException {
        List<String> args = command.subList(command.indexOf("org.modelbench.app/org.modelbench.app.Main") + 1,
                command.size());
        Path out = Files.createTempFile("modelbench-out", ".txt");
        Path err = Files.createTempFile("modelbench-err", ".txt");
        try {
            Process process = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
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
