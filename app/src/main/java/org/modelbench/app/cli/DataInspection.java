package org.modelbench.app.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.modelbench.data.CsvReader;
import org.modelbench.data.IdxArray;
import org.modelbench.data.IdxReader;
import org.modelbench.data.ImageFolderReader;
import org.modelbench.data.NpyReader;

/**
 * What {@code modelbench data inspect} prints for each format: shapes, class counts, per-column
 * min/max/mean and missing counts for tables, value statistics for arrays, a size histogram for image
 * folders. The format is told by the path: a folder is an image folder, {@code .npy}/{@code .npz} are
 * NumPy, {@code .csv}/{@code .tsv} (optionally {@code .gz}) are tables, anything else is IDX.
 */
final class DataInspection {
    private final PrintWriter out;

    DataInspection(PrintWriter out) {
        this.out = out;
    }

    /** Inspects {@code path}; {@code label} names a table's class column (or {@code null}). */
    void inspect(Path path, String label) {
        String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        out.println("file:   " + path);
        if (Files.isDirectory(path)) {
            imageFolder(path);
        } else if (name.endsWith(".npy")) {
            array(NpyReader.read(path));
        } else if (name.endsWith(".npz")) {
            for (String array : NpyReader.names(path)) {
                out.println("array:  " + array);
                array(NpyReader.read(path, array));
            }
        } else if (name.matches(".*\\.(csv|tsv|txt)(\\.gz)?")) {
            table(path, label);
        } else {
            idx(IdxReader.read(path));
        }
        out.flush();
    }

    private void table(Path path, String label) {
        CsvReader.Table table = CsvReader.read(path, new CsvReader.Options((char) 0, true, 0, label, null, List.of(),
                List.of(), true, true));
        int columns = table.numericNames().size();
        out.println("format: CSV table, " + table.rows() + " rows, " + columns + " numeric column(s)"
                + (label == null ? "" : ", label column '" + label + "'"));
        double[] min = new double[columns];
        double[] max = new double[columns];
        double[] sum = new double[columns];
        long[] count = new long[columns];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        var cursor = table.numericCursor();
        for (long i = 0; i < (long) table.rows() * columns; i++) {
            int c = (int) (i % columns);
            float v = cursor.next();
            if (!Float.isNaN(v)) {
                min[c] = Math.min(min[c], v);
                max[c] = Math.max(max[c], v);
                sum[c] += v;
                count[c]++;
            }
        }
        TextTable stats = new TextTable("COLUMN", "MIN", "MAX", "MEAN", "MISSING");
        for (int c = 0; c < columns; c++) {
            stats.row(table.numericNames().get(c), count[c] == 0 ? "-" : format(min[c]),
                    count[c] == 0 ? "-" : format(max[c]), count[c] == 0 ? "-" : format(sum[c] / count[c]),
                    table.missing()[c]);
        }
        out.print(stats.render());
        if (!table.droppedColumns().isEmpty()) {
            out.println("text columns (not numeric; name them under categorical: or ignore:): "
                    + String.join(", ", table.droppedColumns()));
        }
        if (table.label() != null) {
            counts("classes (first appearance)", table.label().values(), table.label().codes());
        }
    }

    private void counts(String title, List<String> values, int[] codes) {
        int[] counts = new int[values.size()];
        int missing = 0;
        for (int code : codes) {
            if (code < 0) {
                missing++;
            } else {
                counts[code]++;
            }
        }
        out.println(title + ": " + values.size() + (missing > 0 ? ", missing labels: " + missing : ""));
        for (int i = 0; i < values.size(); i++) {
            out.printf("  %s: %d%n", values.get(i), counts[i]);
        }
    }

    private void array(NpyReader.NpyArray array) {
        float[] v = array.values();
        out.println("shape:  " + Arrays.toString(array.shape()) + " " + array.descr() + " (C order)");
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        long nan = 0;
        for (float x : v) {
            if (Float.isNaN(x)) {
                nan++;
                continue;
            }
            min = Math.min(min, x);
            max = Math.max(max, x);
            sum += x;
        }
        out.printf("values: min %s, max %s, mean %s, NaN %d%n", format(min), format(max),
                format(sum / Math.max(1, v.length - nan)), nan);
        if (array.isInteger() && array.shape().length == 1 && max < 1000 && min >= 0) {
            int[] counts = new int[(int) max + 1];
            for (float x : v) {
                counts[(int) x]++;
            }
            out.println("labels: " + v.length);
            for (int i = 0; i < counts.length; i++) {
                out.printf("  %3d: %d%n", i, counts[i]);
            }
        }
    }

    private void imageFolder(Path folder) {
        List<String> classes = ImageFolderReader.classes(folder);
        ImageFolderReader.Folder read = ImageFolderReader.read(folder, classes, 3,
                org.modelbench.data.config.ImageFolderConfig.DEFAULT_MAX_PIXELS);
        out.println("format: image folder, " + read.images().size() + " images in " + classes.size() + " classes");
        int[] counts = new int[classes.size()];
        read.images().forEach(image -> counts[image.label()]++);
        for (int c = 0; c < classes.size(); c++) {
            int skipped = read.skipped().getOrDefault(classes.get(c), 0);
            out.printf("  %s: %d%s%n", classes.get(c), counts[c], skipped > 0 ? " (" + skipped + " non-image files "
                    + "skipped)" : "");
        }
        out.println("image sizes (width x height: images):");
        for (Map.Entry<String, Integer> e : read.sizeHistogram().entrySet()) {
            out.printf("  %s: %d%n", e.getKey(), e.getValue());
        }
        out.println("sha256: " + read.sha256());
    }

    private void idx(IdxArray idx) {
        int[] dims = idx.dims();
        out.println("shape:  " + String.join("x", Arrays.stream(dims).mapToObj(String::valueOf).toList())
                + " (unsigned bytes, rank " + dims.length + ")");
        if (dims.length == 1) {
            int[] counts = new int[256];
            int max = 0;
            for (int i = 0; i < idx.values().length; i++) {
                int v = idx.unsigned(i);
                counts[v]++;
                max = Math.max(max, v);
            }
            out.println("labels: " + idx.count());
            for (int v = 0; v <= max; v++) {
                out.printf("  %3d: %d%n", v, counts[v]);
            }
            return;
        }
        byte[] values = idx.values();
        long sum = 0;
        double sumSquares = 0;
        int min = 255;
        int max = 0;
        long nonZero = 0;
        for (byte b : values) {
            int v = b & 0xFF;
            sum += v;
            sumSquares += (double) v * v;
            min = Math.min(min, v);
            max = Math.max(max, v);
            if (v != 0) {
                nonZero++;
            }
        }
        double mean = (double) sum / values.length;
        double std = Math.sqrt(Math.max(0, sumSquares / values.length - mean * mean));
        out.println("items:  " + idx.count() + " of " + (values.length / idx.count()) + " values each");
        out.printf("pixels: min %d, max %d, mean %.4f, std %.4f, non-zero %.2f%%%n", min, max, mean, std,
                100.0 * nonZero / values.length);
        out.printf("scaled: mean %.4f, std %.4f (after dividing by 255)%n", mean / 255, std / 255);
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.4f", v);
    }
}
