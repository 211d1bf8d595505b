package org.modelbench.app.slurm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.ModelbenchException;

/** {@link SlurmClient} over SLURM's commands on {@code PATH}. */
public final class CommandLineSlurm implements SlurmClient {
    private static final long TIMEOUT_SECONDS = 120;
    private volatile String queueProblem = "squeue has not been run";

    /** The output of one command. */
    private record Result(int exitCode, String out, String err) {
        String firstErrorLine() {
            String text = err.isBlank() ? out : err;
            return text.lines().filter(l -> !l.isBlank()).findFirst().orElse("exit code " + exitCode).strip();
        }
    }

    /** Whether {@code command} is an executable file in a folder of {@code PATH}. */
    public static boolean installed(String command) {
        String path = System.getenv("PATH");
        return path != null && java.util.Arrays.stream(path.split(java.io.File.pathSeparator)).filter(d -> !d.isEmpty())
                .anyMatch(d -> java.nio.file.Files.isExecutable(Path.of(d, command)));
    }

    @Override
    public String submit(Path script, List<String> options) {
        List<String> command = new ArrayList<>(List.of("sbatch", "--parsable"));
        command.addAll(options);
        command.add(script.toString());
        Result r = run(command).orElseThrow(() -> new InvalidInputException(
                "--executor slurm: sbatch not found on PATH; expected SLURM's client commands (Debian: slurm-client)"));
        if (r.exitCode() != 0) {
            throw new InvalidInputException("--executor slurm: sbatch refused " + script + ": " + r.firstErrorLine());
        }
        String id = r.out().strip().split(";", 2)[0];
        if (!id.matches("[0-9]+")) {
            throw new ModelbenchException("sbatch --parsable printed '" + r.out().strip() + "'; expected a job id");
        }
        return id;
    }

    @Override
    public Optional<Map<String, String>> queue() {
        Optional<Result> r = run(List.of("squeue", "--noheader", "--array", "--user=" + System.getProperty("user.name"),
                "--format=%i|%T"));
        if (r.isEmpty() || r.get().exitCode() != 0) {
            queueProblem = r.isEmpty() ? "squeue is not installed here (Debian: slurm-client)"
                    : "squeue failed: " + r.get().firstErrorLine();
            return Optional.empty();
        }
        return Optional.of(states(r.get().out()));
    }

    @Override
    public String queueProblem() {
        return queueProblem;
    }

    @Override
    public Optional<Map<String, String>> accounting(List<String> jobIds) {
        if (jobIds.isEmpty()) {
            return Optional.of(Map.of());
        }
        Optional<Result> r = run(List.of("sacct", "--noheader", "--parsable2", "--allocations",
                "--jobs=" + String.join(",", jobIds), "--format=JobID,State"));
        if (r.isEmpty() || r.get().exitCode() != 0) {
            return Optional.empty();
        }
        return Optional.of(states(r.get().out()));
    }

    /** {@code id|STATE} lines as a map; {@code CANCELLED by 0} becomes {@code CANCELLED}. */
    static Map<String, String> states(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        text.lines().map(String::strip).filter(l -> l.contains("|")).forEach(l -> {
            String[] parts = l.split("\\|", 2);
            out.put(parts[0].strip(), parts[1].strip().split(" ", 2)[0]);
        });
        return out;
    }

    /** Runs {@code command}; empty when the program is not installed. */
    private static Optional<Result> run(List<String> command) {
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            return Optional.empty();
        }
        try {
            process.getOutputStream().close();
            var err = process.getErrorStream();
            var errText = new java.util.concurrent.CompletableFuture<String>();
            Thread reader = new Thread(() -> {
                try {
                    errText.complete(new String(err.readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    errText.complete("");
                }
            });
            reader.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new ModelbenchException(command.get(0) + " did not answer within " + TIMEOUT_SECONDS + " s");
            }
            reader.join();
            return Optional.of(new Result(process.exitValue(), out, errText.join()));
        } catch (IOException e) {
            throw new ModelbenchException(command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelbenchException("interrupted while running " + command.get(0), e);
        }
    }
}
