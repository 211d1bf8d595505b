package org.modelbench.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.modelbench.api.Dataset;
import org.modelbench.api.DatasetSplits;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.data.config.CsvConfig.Missing;

/**
 * Turns read tables into a train and a test dataset: labels to class indices, the held-out test rows
 * when there is no test table, categorical columns one-hot encoded with the categories of the
 * training rows (unseen ones all zeros, counted), missing numbers filled from training rows only.
 *
 * <p>Feature columns keep the file's order; a categorical column becomes one column per category, in
 * order of first appearance among the training rows.
 */
final class TableEncoder {
    private final List<String> givenClasses;
    private final Missing missing;
    private final boolean sequence;

    /**
     * @param givenClasses the class names, or {@code null} for first appearance
     * @param missing      what missing values become
     * @param sequence     whether samples are series ({@code [1, L]}) rather than rows ({@code [F]})
     */
    TableEncoder(List<String> givenClasses, Missing missing, boolean sequence) {
        this.givenClasses = givenClasses;
        this.missing = missing;
        this.sequence = sequence;
    }

    /** Encodes {@code train} and {@code test} (a separate test table), or holds out {@code testSplit} of {@code train}. */
    DatasetSplits encode(String name, CsvReader.Table train, CsvReader.Table test, double testSplit,
                         Map<String, String> metadata) {
        if (test != null && !test.numericNames().equals(train.numericNames())) {
            throw new InvalidInputException(test.file() + ": numeric columns " + test.numericNames()
                    + " differ from " + train.file() + "'s " + train.numericNames() + "; expected the same columns");
        }
        List<String> classes = new ArrayList<>();
        int[] trainLabels = labels(train, classes, givenClasses == null);
        int[] testLabels = test == null ? null : labels(test, classes, false);
        if (classes.size() < 2) {
            throw new InvalidInputException(train.file() + ": column '" + train.label().name() + "' holds one class ("
                    + classes + "); expected at least two");
        }
        boolean[] isTest;
        if (test == null) {
            isTest = Stratified.holdout(trainLabels, classes.size(), testSplit,
                    c -> train.file() + ": class '" + classes.get(c) + "'", "row");
        } else {
            isTest = new boolean[train.rows()];
        }
        // categories from the training rows, in order of first appearance there
        List<Map<String, Integer>> categories = new ArrayList<>();
        for (CsvReader.TextColumn column : train.categorical()) {
            Map<String, Integer> seen = new LinkedHashMap<>();
            for (int row = 0; row < train.rows(); row++) {
                int code = column.codes()[row];
                if (!isTest[row] && code >= 0) {
                    seen.putIfAbsent(column.values().get(code), seen.size());
                }
            }
            categories.add(seen);
        }
        Layout layout = new Layout(train, categories);
        int testRows = 0;
        for (boolean t : isTest) {
            testRows += t ? 1 : 0;
        }
        int trainRows = train.rows() - testRows;
        if (test != null) {
            testRows = test.rows();
        }
        // numbers only and a separate test table: the reader's array is already the feature matrix
        float[] exact = test != null && layout.isIdentity() ? train.numeric().exactArray() : null;
        float[] trainX = exact != null && exact.length == (long) trainRows * layout.width ? exact
                : allocate(train.file(), trainRows, layout.width);
        float[] testX = allocate(test == null ? train.file() : test.file(), testRows, layout.width);
        int[] trainY = new int[trainRows];
        int[] testY = new int[testRows];
        long[] unseen = new long[categories.size()];
        layout.fill(train, isTest, trainX, testX, trainLabels, trainY, testY, unseen, missing);
        if (test != null) {
            layout.fill(test, null, testX, testX, testLabels, testY, testY, unseen, missing);
        }
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        impute(layout, trainX, testX, trainRows, testRows, train, meta);
        for (int k = 0; k < unseen.length; k++) {
            if (unseen[k] > 0) {
                meta.put("unseenCategories:" + train.categorical().get(k).name(), String.valueOf(unseen[k]));
            }
        }
        if (!train.droppedColumns().isEmpty()) {
            meta.put("droppedTextColumns", String.join(",", train.droppedColumns()));
        }
        if (layout.columnNames.size() <= 64) {
            meta.put("featureColumns", String.join(",", layout.columnNames));
        }
        Shape sample = sequence ? Shape.of(1, layout.width) : Shape.of(layout.width);
        return new DatasetSplits(
                new Dataset(name + "/train", Tensor.of(sample.withBatch(trainRows), trainX), trainY, classes, meta),
                new Dataset(name + "/test", Tensor.of(sample.withBatch(testRows), testX), testY, classes, meta));
    }

    /** Maps each row's label to a class index, adding classes in order of first appearance when allowed. */
    private int[] labels(CsvReader.Table table, List<String> classes, boolean addNew) {
        CsvReader.TextColumn column = table.label();
        int[] byCode = new int[column.values().size()];
        Arrays.fill(byCode, -2);
        if (givenClasses != null && classes.isEmpty()) {
            classes.addAll(givenClasses);
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            index.put(classes.get(i), i);
        }
        int[] out = new int[table.rows()];
        for (int row = 0; row < table.rows(); row++) {
            int code = column.codes()[row];
            if (code < 0) {
                throw new InvalidInputException(table.file() + ":" + table.lines()[row] + ":" + column.column()
                        + ": missing label in column '" + column.name() + "'; expected a class");
            }
            if (byCode[code] == -2) {
                String value = column.values().get(code);
                Integer known = index.get(value);
                if (known == null && givenClasses != null) {
                    known = classIndex(value, classes.size());
                }
                if (known == null && addNew) {
                    known = classes.size();
                    classes.add(value);
                    index.put(value, known);
                }
                if (known == null) {
                    throw new InvalidInputException(table.file() + ":" + table.lines()[row] + ":" + column.column()
                            + ": label \"" + value + "\" is not a known class; expected one of " + classes
                            + (givenClasses != null ? " or an index 0 to " + (classes.size() - 1) : " (classes seen in "
                            + "the training rows)"));
                }
                byCode[code] = known;
            }
            out[row] = byCode[code];
        }
        return out;
    }

    private static Integer classIndex(String value, int classes) {
        try {
            int i = Integer.parseInt(value);
            return i >= 0 && i < classes ? i : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static float[] allocate(Path file, int rows, int width) {
        long size = (long) rows * width;
        if (size > Integer.MAX_VALUE - 8) {
            throw new InvalidInputException(file + ": " + rows + " rows of " + width + " features are " + size
                    + " values, more than one array holds");
        }
        return new float[(int) size];
    }

    /** Fills missing numbers ({@code NaN}) with the training rows' statistic of their column. */
    private void impute(Layout layout, float[] trainX, float[] testX, int trainRows, int testRows,
                        CsvReader.Table train, Map<String, String> meta) {
        if (missing == Missing.ERROR) {
            return;
        }
        int width = layout.width;
        for (int slot = 0; slot < layout.numericOffset.length; slot++) {
            int column = layout.numericOffset[slot];
            long filled = 0;
            float[] values = new float[trainRows];
            int present = 0;
            for (int r = 0; r < trainRows; r++) {
                float v = trainX[r * width + column];
                if (!Float.isNaN(v)) {
                    values[present++] = v;
                }
            }
            boolean anyMissing = present < trainRows;
            for (int r = 0; r < testRows && !anyMissing; r++) {
                anyMissing = Float.isNaN(testX[r * width + column]);
            }
            if (!anyMissing) {
                continue;
            }
            if (present == 0 && missing != Missing.ZERO) {
                throw new InvalidInputException(train.file() + ": column '" + train.numericNames().get(slot)
                        + "' has no value in the training rows; expected at least one to compute the " + missing.name()
                        .toLowerCase(java.util.Locale.ROOT));
            }
            float fill = switch (missing) {
                case ZERO -> 0f;
                case MEAN -> {
                    double sum = 0;
                    for (int i = 0; i < present; i++) {
                        sum += values[i];
                    }
                    yield (float) (sum / present);
                }
                default -> {
                    Arrays.sort(values, 0, present);
                    yield present % 2 == 1 ? values[present / 2]
                            : (float) ((values[present / 2 - 1] + (double) values[present / 2]) / 2);
                }
            };
            for (float[] x : new float[][] {trainX, testX}) {
                for (int i = column; i < x.length; i += width) {
                    if (Float.isNaN(x[i])) {
                        x[i] = fill;
                        filled++;
                    }
                }
            }
            meta.put("imputed:" + train.numericNames().get(slot), filled + " with " + fill);
        }
    }

    /** Where each numeric column and each category goes in a feature row. */
    private static final class Layout {
        final int width;
        final int[] numericOffset;
        final int[] categoricalOffset;
        final List<Map<String, Integer>> categories;
        final List<String> columnNames = new ArrayList<>();

        Layout(CsvReader.Table train, List<Map<String, Integer>> categories) {
            this.categories = categories;
            numericOffset = new int[train.numericNames().size()];
            categoricalOffset = new int[categories.size()];
            int offset = 0;
            for (int entry : train.featureOrder()) {
                if (entry >= 0) {
                    numericOffset[entry] = offset++;
                    columnNames.add(train.numericNames().get(entry));
                } else {
                    int k = -1 - entry;
                    categoricalOffset[k] = offset;
                    offset += categories.get(k).size();
                    for (String value : categories.get(k).keySet()) {
                        columnNames.add(train.categorical().get(k).name() + "=" + value);
                    }
                }
            }
            width = offset;
            if (width == 0) {
                throw new InvalidInputException(train.file() + ": no feature columns; expected numeric or categorical "
                        + "columns besides the label");
            }
        }

        /** Whether a feature row is the table's numeric row as read: no categorical columns, file order. */
        boolean isIdentity() {
            if (categoricalOffset.length > 0 || width != numericOffset.length) {
                return false;
            }
            for (int slot = 0; slot < numericOffset.length; slot++) {
                if (numericOffset[slot] != slot) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Writes {@code table}'s rows into {@code first} (rows not in {@code toSecond}) and {@code second},
         * releasing the table's numeric store as it goes.
         */
        void fill(CsvReader.Table table, boolean[] toSecond, float[] first, float[] second, int[] labels,
                  int[] firstLabels, int[] secondLabels, long[] unseen, Missing missing) {
            FloatChunks.Cursor cursor = table.numericCursor();
            int numeric = numericOffset.length;
            List<int[]> positions = new ArrayList<>();
            for (int k = 0; k < categories.size(); k++) {
                CsvReader.TextColumn column = table.categorical().get(k);
                int[] position = new int[column.values().size()];
                for (int code = 0; code < position.length; code++) {
                    Integer at = categories.get(k).get(column.values().get(code));
                    position[code] = at == null ? -1 : at;
                }
                positions.add(position);
            }
            boolean contiguous = numeric > 0;
            for (int slot = 1; slot < numeric; slot++) {
                contiguous &= numericOffset[slot] == numericOffset[0] + slot;
            }
            int a = 0;
            int b = 0;
            for (int row = 0; row < table.rows(); row++) {
                boolean toTest = toSecond != null && toSecond[row];
                float[] x = toTest ? second : first;
                int base = (toTest ? b : a) * width;
                if (contiguous) {
                    cursor.next(x, base + numericOffset[0], numeric);
                } else {
                    for (int slot = 0; slot < numeric; slot++) {
                        x[base + numericOffset[slot]] = cursor.next();
                    }
                }
                for (int k = 0; k < categoricalOffset.length; k++) {
                    CsvReader.TextColumn column = table.categorical().get(k);
                    int code = column.codes()[row];
                    if (code < 0) {
                        if (missing == Missing.ERROR) {
                            throw new InvalidInputException(table.file() + ":" + table.lines()[row] + ":"
                                    + column.column() + ": missing value in categorical column '" + column.name()
                                    + "'; expected a category, or set missing: to encode it as all zeros");
                        }
                        continue;
                    }
                    int at = positions.get(k)[code];
                    if (at < 0) {
                        unseen[k]++;
                    } else {
                        x[base + categoricalOffset[k] + at] = 1f;
                    }
                }
                if (toTest) {
                    secondLabels[b++] = labels[row];
                } else {
                    firstLabels[a++] = labels[row];
                }
            }
        }
    }
}
