package org.modelbench.data.config;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.modelbench.api.ConfigException;

/**
 * The {@code params} of the {@code csv} dataset format.
 *
 * @param train       the table of training rows (or all rows), relative to the manifest; {@code .csv.gz} is read too
 * @param test        a table of test rows with the same columns; without it, {@code testSplit} of {@code train}'s
 *                    rows are held out (stratified, fixed seed)
 * @param testSplit   the fraction held out when there is no {@code test}, in (0, 0.5]; default 0.2
 * @param layout      {@code table} (default: a header row, one sample per row) or {@code sequence} (one series per
 *                    row, the label first, no header, as the UCR archive stores them; samples {@code [1, L]})
 * @param header      whether the first row names the columns; default true for a table, false for a sequence
 * @param label       the class column (a table needs it); without a header, its 1-based number
 * @param classes     the class names, index = label; labels are matched by name or, when integers, by index;
 *                    default: the labels in order of first appearance
 * @param features    the numeric feature columns; default every other column whose first value is a number
 * @param ignore      columns to drop
 * @param categorical columns one-hot encoded with the categories seen in training rows (unseen ones: all zeros)
 * @param missing     what a missing value ({@code ""}, {@code NA}, {@code NaN}) becomes: {@code error} (default),
 *                    or the training rows' {@code mean} or {@code median} of the column, or {@code zero}
 * @param delimiter   the field separator (one character, or {@code tab}); default detected from the first line
 */
public record CsvConfig(String train, String test, Double testSplit, Layout layout, Boolean header, String label,
                        List<String> classes, List<String> features, List<String> ignore, List<String> categorical,
                        Missing missing, String delimiter) {

    /** How rows are laid out. */
    public enum Layout {
        /** One sample per row, named columns. */
        TABLE,
        /** One series per row: the label, then the values. */
        SEQUENCE
    }

    /** What a missing value becomes. */
    public enum Missing {
        /** It is an error naming file:line:column. */
        ERROR,
        /** The mean of the column over the training rows. */
        MEAN,
        /** The median of the column over the training rows. */
        MEDIAN,
        /** Zero. */
        ZERO
    }

    public CsvConfig {
        if (train == null || train.isBlank()) {
            throw new ConfigException("train", "expected the path of a CSV file");
        }
        testSplit = SplitChecks.check(testSplit, test != null);
        layout = layout == null ? Layout.TABLE : layout;
        header = header == null ? layout == Layout.TABLE : header;
        classes = SplitChecks.check(classes);
        ignore = ignore == null ? List.of() : List.copyOf(ignore);
        categorical = categorical == null ? List.of() : List.copyOf(categorical);
        features = features == null ? null : List.copyOf(features);
        missing = missing == null ? Missing.ERROR : missing;
        if (layout == Layout.SEQUENCE) {
            if (features != null || !ignore.isEmpty() || !categorical.isEmpty()) {
                throw new ConfigException("layout", "a sequence is the label then the values; features, ignore and "
                        + "categorical apply to a table");
            }
            if (label != null && header) {
                throw new ConfigException("label", "a sequence's label is its first column; leave label out");
            }
            label = label == null ? "1" : label;
        } else if (label == null) {
            throw new ConfigException("label", "expected the name of the class column");
        }
        if (delimiter != null && !delimiter.equals("tab") && delimiter.length() != 1) {
            throw new ConfigException("delimiter", "expected one character or 'tab', got \"" + delimiter + "\"");
        }
        Set<String> seen = new HashSet<>();
        for (List<String> list : List.of(features == null ? List.<String>of() : features, ignore, categorical)) {
            for (String column : list) {
                if (column.equals(label)) {
                    throw new ConfigException("label", "the label column '" + label + "' is also listed as a feature, "
                            + "ignored or categorical column");
                }
                if (!seen.add(column)) {
                    throw new ConfigException("categorical", "column '" + column + "' is listed twice among "
                            + "features, ignore and categorical");
                }
            }
        }
    }

    /** The delimiter character, or {@code 0} to detect it. */
    public char delimiterChar() {
        return delimiter == null ? 0 : delimiter.equals("tab") ? '\t' : delimiter.charAt(0);
    }
}
