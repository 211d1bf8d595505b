package org.modelbench.bench.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.modelbench.engine.kernels.Sgemm;

/**
 * The bench's peak reference: OpenBLAS's {@code cblas_sgemm}, measured in the same run by a small
 * C program ({@code openblas_probe.c}, shipped in this jar) that the bench compiles once with the
 * system's C compiler against {@code -lopenblas} into its cache
 * ({@code <cache>/openblas-probe/<source hash>/openblas_probe}). The probe runs without
 * {@code OPENBLAS_CORETYPE} and {@code OPENBLAS_L2_SIZE} ({@link ChildProcess#PINNING_VARIABLES}), so
 * OpenBLAS picks the kernel it detects for this CPU, the strongest reference; where OpenBLAS does not
 * know the CPU and the engine had it run another core ({@link Sgemm#nativeCoreOverride()}: SkylakeX
 * rather than the generic Prescott fallback), the probe runs that core too, so that the reference is
 * OpenBLAS at its best here, never a fallback kernel. The probe reports the core and the library's
 * build configuration.
 *
 * <p>Why a C probe rather than numpy: numpy may be linked to any BLAS (a wheel's bundled OpenBLAS,
 * the reference BLAS through Debian's alternatives), while {@code -lopenblas} names the library.
 */
final class OpenBlasProbe {
    static final String SOURCE = "openblas_probe.c";
    private final Path executable;

    /** One measurement: GFLOP/s of {@code size^3} on {@code threads} threads, and which OpenBLAS ran. */
    record Result(String config, String core, int threads, long calls, double seconds, double gflops) {
        Result {
            if (calls < 1 || !(seconds > 0) || !(gflops > 0)) {
                throw new IllegalArgumentException("the OpenBLAS probe reported no work: " + calls + " calls, "
                        + seconds + " s, " + gflops + " GFLOP/s");
            }
        }

        static Result parse(String jsonLine) throws IOException {
            JsonNode j = new ObjectMapper().readTree(jsonLine);
            for (String key : List.of("config", "core", "threads", "calls", "seconds", "gflops")) {
                if (j == null || !j.has(key)) {
                    throw new IOException("the OpenBLAS probe printed no '" + key + "': " + jsonLine);
                }
            }
            return new Result(j.get("config").asText(), j.get("core").asText(), j.get("threads").asInt(),
                    j.get("calls").asLong(), j.get("seconds").asDouble(), j.get("gflops").asDouble());
        }
    }

    /** A probe, or why there is none. */
    record Found(OpenBlasProbe probe, String skipped) {
    }

    private OpenBlasProbe(Path executable) {
        this.executable = executable;
    }

    /** The cache directory: {@code $MODELBENCH_CACHE}, else {@code ~/.modelbench/cache}. */
    static Path defaultCache() {
        String dir = System.getenv("MODELBENCH_CACHE");
        return dir != null && !dir.isBlank() ? Path.of(dir)
                : Path.of(System.getProperty("user.home"), ".modelbench", "cache");
    }

    /** Finds the compiled probe in {@code cache}, compiling it first when absent. */
    static Found find(Path cache) {
        try {
            byte[] source;
            try (InputStream in = OpenBlasProbe.class.getResourceAsStream(SOURCE)) {
                if (in == null) {
                    return new Found(null, SOURCE + " missing from the benchmarks jar");
                }
                source = in.readAllBytes();
            }
            Path dir = cache.resolve("openblas-probe").resolve(hash(source));
            Path exe = dir.resolve("openblas_probe");
            if (Files.isExecutable(exe)) {
                return new Found(new OpenBlasProbe(exe), null);
            }
            String compiler = compiler();
            if (compiler == null) {
                return new Found(null, "no C compiler (gcc or cc) on PATH to build the OpenBLAS probe");
            }
            Files.createDirectories(dir);
            Path src = dir.resolve(SOURCE);
            Files.write(src, source);
            Path tmp = Files.createTempFile(dir, "openblas_probe", ".tmp");
            ChildProcess cc = ChildProcess.run(List.of(compiler, "-O2", "-o", tmp.toString(), src.toString(),
                    "-lopenblas"), Map.of(), 120);
            if (cc.exitCode() != 0) {
                Files.deleteIfExists(tmp);
                return new Found(null, "could not build the OpenBLAS probe (" + compiler + " ... -lopenblas, is "
                        + "libopenblas-dev installed?): " + firstLine(cc.output()));
            }
            try {
                Files.move(tmp, exe, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, exe, StandardCopyOption.REPLACE_EXISTING);
            }
            return new Found(new OpenBlasProbe(exe), null);
        } catch (IOException e) {
            return new Found(null, "could not build the OpenBLAS probe: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Found(null, "interrupted");
        }
    }

    /** Runs {@code C = A B} on {@code size^3} for at least {@code seconds} after one warm-up call. */
    Result run(int size, int threads, double seconds) throws IOException, InterruptedException {
        String s = Integer.toString(size);
        String core = Sgemm.nativeCoreOverride();
        ChildProcess p = ChildProcess.run(List.of(executable.toString(), s, s, s, Integer.toString(threads),
                Double.toString(seconds)), core == null ? Map.of() : Map.of("OPENBLAS_CORETYPE", core),
                (long) (120 + 10 * seconds));
        if (p.exitCode() != 0) {
            throw new IOException("the OpenBLAS probe failed (exit " + p.exitCode() + "): " + p.lastLine());
        }
        return Result.parse(p.lastLine());
    }

    private static String compiler() {
        String path = System.getenv("PATH");
        for (String name : List.of("gcc", "cc")) {
            for (String dir : (path == null ? "/usr/bin" : path).split(":")) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                    return Path.of(dir, name).toString();
                }
            }
        }
        return null;
    }

    private static String hash(byte[] source) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(source)).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }
}
