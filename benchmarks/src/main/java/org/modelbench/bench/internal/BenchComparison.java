package org.modelbench.bench.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.modelbench.api.InvalidInputException;

/**
 * {@code bench --compare OLD.json}: each {@link Figure} of a new result over the old one, flagged
 * where it got worse by more than {@link #TOLERANCE} (in its better direction).
 */
final class BenchComparison {
    /** Relative change tolerated before a figure is flagged as a regression. */
    static final double TOLERANCE = 0.10;

    private BenchComparison() {
    }

    /** A saved result ({@code bench --json} or {@code --save}); bad files are reported naming the file. */
    static Map<String, Object> read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file + ": no such bench result file");
        }
        try {
            if (Files.size(file) > 1 << 20) {
                throw new InvalidInputException(file + ": over 1 MiB, not a bench result");
            }
            Map<String, Object> m = new ObjectMapper().readValue(file.toFile(), new TypeReference<Map<String, Object>>() {
            });
            if (m == null || !(m.get(Figure.TRAIN.key) instanceof Number)) {
                throw new InvalidInputException(file + ": not a bench result (no numeric '" + Figure.TRAIN.key + "')");
            }
            return m;
        } catch (IOException e) {
            throw new InvalidInputException(file + ": not a bench result JSON object (" + e.getMessage().split("\n")[0]
                    + ")");
        }
    }

    /** Prints the ratios; returns the number of regressions. */
    static int print(Map<String, Object> old, Map<String, Object> now, Path oldFile, PrintWriter out) {
        out.printf("%ncompared with %s (load average then %s, now %s)%n", oldFile, old.get("load_average"),
                now.get("load_average"));
        out.printf("%-30s %16s %16s %9s%n", "figure", "old", "new", "new/old");
        int regressions = 0;
        for (Figure f : Figure.values()) {
            Double a = f.in(old);
            Double b = f.in(now);
            String ratio = "";
            String flag = "";
            if (a != null && b != null && a != 0) {
                double r = b / a;
                ratio = String.format(Locale.ROOT, "%.2f", r);
                boolean worse = f.higherIsBetter ? r < 1 - TOLERANCE : r > 1 + TOLERANCE;
                if (worse) {
                    flag = "  REGRESSION";
                    regressions++;
                }
            }
            out.printf("%-30s %16s %16s %9s%s%n", f.label, f.format(a), f.format(b), ratio, flag);
        }
        out.flush();
        return regressions;
    }
}
