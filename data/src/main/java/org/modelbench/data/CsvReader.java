package org.modelbench.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.modelbench.api.InvalidInputException;

/**
 * Reads a delimited text table (plain or gzip, detected by content) into columns, with Jackson's
 * CSV parser (quoted fields, embedded delimiters and line breaks). Numbers go straight into a
 * row-major float store without a string per cell; text columns become integer codes in order of
 * first appearance.
 *
 * <p>Every error names {@code file:line:column} (line and column 1-based, the column a field
 * number, with its header name) and what was expected: rows with a different number of fields than
 * the header, a text value in a numeric column, a missing value ({@code ""}, {@code NA}, {@code NaN})
 * when missing values are not allowed, a header without the label column, duplicate header names.
 */
public final class CsvReader {
    /** The cell texts read as a missing value. */
    public static final Set<String> MISSING = Set.of("", "NA", "NaN");
    private static final char[] CANDIDATES = {',', ';', '\t', '|'};
    private static final float[] POWERS = {1f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f, 1e8f, 1e9f, 1e10f};

    private CsvReader() {
    }

    /**
     * How to read a table.
     *
     * @param delimiter      the field separator, or {@code 0} to detect it from the first line (the most
     *                       frequent of {@code , ; TAB |} outside quotes; a comma when none occurs)
     * @param header         whether the first (not skipped) row names the columns; without one, columns are
     *                       named by their 1-based number
     * @param skipLines      rows to drop before the header or data
     * @param label          the label column's name (a number without a header), or {@code null} for none
     * @param features       the numeric feature columns, or {@code null} for every other column whose first
     *                       value is a number (a column that starts with text is dropped and listed in
     *                       {@link Table#droppedColumns()}); in a sequence, every column but the label
     * @param ignore         columns to drop
     * @param categorical    text (or integer) columns to encode as categories
     * @param allowMissing   whether a missing value is read as {@code NaN} (else it is an error)
     * @param dropTextColumns whether, with {@code features == null}, a column starting with text is dropped
     *                       (table) or is an error (sequence)
     */
    public record Options(char delimiter, boolean header, int skipLines, String label, List<String> features,
                          List<String> ignore, List<String> categorical, boolean allowMissing,
                          boolean dropTextColumns) {
        public Options {
            ignore = ignore == null ? List.of() : List.copyOf(ignore);
            categorical = categorical == null ? List.of() : List.copyOf(categorical);
            features = features == null ? null : List.copyOf(features);
            if (skipLines < 0) {
                throw new IllegalArgumentException("skipLines < 0");
            }
        }
    }

    /**
     * A text column as codes.
     *
     * @param name   the header name
     * @param column the 1-based field number
     * @param codes  one code per row: an index into {@code values}, or {@code -1} for a missing value
     * @param values the distinct values in order of first appearance
     */
    public record TextColumn(String name, int column, int[] codes, List<String> values) {
    }

    /**
     * A table as read.
     *
     * @param file           where it came from
     * @param rows           the number of data rows
     * @param numericNames   the numeric columns, in file order
     * @param numeric        their values, row-major ({@code rows x numericNames.size()}), {@code NaN} = missing;
     *                       read it once with {@link #numericCursor()}
     * @param missing        missing values per numeric column
     * @param categorical    the categorical columns, in file order
     * @param label          the label column, or {@code null}
     * @param lines          the line each data row starts on
     * @param droppedColumns text columns dropped because no feature list was given
     * @param featureOrder   the order of numeric and categorical columns in the file: each entry is
     *                       {@code n} for numeric column {@code n}, or {@code -1 - c} for categorical column {@code c}
     */
    public record Table(Path file, int rows, List<String> numericNames, FloatChunks numeric, long[] missing,
                        List<TextColumn> categorical, TextColumn label, int[] lines, List<String> droppedColumns,
                        int[] featureOrder) {

        /** The numeric values in order; can be taken once. */
        public FloatChunks.Cursor numericCursor() {
            return numeric.drain();
        }
    }

    /** Reads {@code file} as {@code options} say. */
    public static Table read(Path file, Options options) {
        char delimiter = options.delimiter() != 0 ? options.delimiter() : detectDelimiter(file, options.skipLines());
        CsvFactory factory = new CsvFactory();
        CsvSchema schema = CsvSchema.emptySchema().withColumnSeparator(delimiter).withQuoteChar('"')
                .withoutEscapeChar();
        try (InputStream in = open(file);
             Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
             CsvParser parser = factory.createParser(reader)) {
            parser.setSchema(schema);
            parser.enable(CsvParser.Feature.TRIM_SPACES);
            parser.enable(CsvParser.Feature.SKIP_EMPTY_LINES);
            parser.disable(CsvParser.Feature.ALLOW_TRAILING_COMMA);
            return new TableBuilder(file, options, parser, rowBound(file, options.skipLines() + (options.header() ? 1 : 0)))
                    .build();
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(file + ": no such file");
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new InvalidInputException(file + (at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr())
                    + ": not valid CSV: " + e.getOriginalMessage());
        } catch (ZipException e) {
            throw new InvalidInputException(file + ": not a valid gzip stream (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot read: " + e.getMessage());
        }
    }

    /**
     * An upper bound of the data rows of a plain file: its lines minus {@code leading} (each row ends at
     * a line break or the end of the file; quoted line breaks and blank lines only make it larger); -1
     * for a gzip file, which is not read twice.
     */
    private static long rowBound(Path file, int leading) throws IOException {
        long lines = 0;
        byte last = '\n';
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            int r = in.read(buffer, 0, 2);
            if (r == 2 && (buffer[0] & 0xFF) == 0x1f && (buffer[1] & 0xFF) == 0x8b) {
                return -1;
            }
            for (; r > 0; r = in.read(buffer)) {
                for (int i = 0; i < r; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
                last = buffer[r - 1];
            }
        }
        return Math.max(0, lines + (last == '\n' ? 0 : 1) - leading);
    }

    /** Opens a file, gunzipping when it starts with the gzip magic bytes. */
    static InputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
        raw.reset();
        return gzip ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
    }

    /** The first line of a file (after {@code skip} lines), at most 1 MiB, for delimiter detection. */
    private static char detectDelimiter(Path file, int skip) {
        StringBuilder line = new StringBuilder();
        try (InputStream in = open(file)) {
            int skipped = 0;
            for (int b; (b = in.read()) >= 0 && line.length() < (1 << 20); ) {
                if (b == '\n') {
                    if (skipped++ < skip) {
                        line.setLength(0);
                        continue;
                    }
                    break;
                }
                line.append((char) b);
            }
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(file + ": no such file");
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot read: " + e.getMessage());
        }
        int[] counts = new int[CANDIDATES.length];
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            }
            for (int k = 0; k < CANDIDATES.length && !quoted; k++) {
                if (c == CANDIDATES[k]) {
                    counts[k]++;
                }
            }
        }
        int best = 0;
        for (int k = 1; k < CANDIDATES.length; k++) {
            if (counts[k] > counts[best]) {
                best = k;
            }
        }
        return CANDIDATES[best];
    }

    /** The column roles and stores, filled row by row. */
    private static final class TableBuilder {
        private static final int IGNORE = 0;
        private static final int NUMERIC = 1;
        private static final int TEXT = 2;
        private static final int UNDECIDED = 3;

        private final Path file;
        private final Options options;
        private final CsvParser parser;
        private List<String> names;
        private int[] role;
        /** Numeric columns: the index among numeric columns; text columns: the index among text columns. */
        private int[] slot;
        private final FloatChunks numeric = new FloatChunks();
        private final List<String> numericNames = new ArrayList<>();
        private long[] missing;
        private final List<Map<String, Integer>> dictionaries = new ArrayList<>();
        private final List<IntChunks> codes = new ArrayList<>();
        private final List<Integer> textColumns = new ArrayList<>();
        private final List<String> dropped = new ArrayList<>();
        private final IntChunks lines = new IntChunks();
        private int labelColumn = -1;
        private int rows;
        private final long rowBound;

        TableBuilder(Path file, Options options, CsvParser parser, long rowBound) {
            this.file = file;
            this.options = options;
            this.parser = parser;
            this.rowBound = rowBound;
        }

        /** Once the first row has fixed the numeric width: one array for all rows, when their count is bounded. */
        private void presize() {
            if (rows == 1 && rowBound > 0) {
                numeric.presize(rowBound * numericNames.size());
            }
        }

        Table build() throws IOException {
            List<String> row = new ArrayList<>();
            for (int skipped = 0; skipped < options.skipLines(); skipped++) {
                if (readRow(row) < 0) {
                    throw new InvalidInputException(file + ": ends within the " + options.skipLines()
                            + " line(s) to skip");
                }
            }
            int line = readRow(row);
            if (line < 0) {
                throw new InvalidInputException(file + ":1: empty file; expected " + (options.header()
                        ? "a header row" : "data rows"));
            }
            if (options.header()) {
                names = List.copyOf(row);
                Set<String> seen = new HashSet<>();
                for (int i = 0; i < names.size(); i++) {
                    if (!seen.add(names.get(i))) {
                        throw new InvalidInputException(file + ":" + line + ":" + (i + 1) + ": header name '"
                                + names.get(i) + "' appears twice; expected unique column names");
                    }
                }
                assignRoles(line);
            } else {
                List<String> numbers = new ArrayList<>();
                for (int i = 1; i <= row.size(); i++) {
                    numbers.add(String.valueOf(i));
                }
                names = List.copyOf(numbers);
                assignRoles(line);
                for (int field = 0; field < row.size(); field++) {
                    cell(line, field, row.get(field));
                }
                lines.add(line);
                rows++;
                presize();
            }
            readData();
            if (rows == 0) {
                throw new InvalidInputException(file + ": no data rows; expected at least one row after the header");
            }
            List<TextColumn> categorical = new ArrayList<>();
            TextColumn label = null;
            for (int k = 0; k < textColumns.size(); k++) {
                int column = textColumns.get(k);
                TextColumn text = new TextColumn(names.get(column), column + 1, codes.get(k).toArray(),
                        List.copyOf(dictionaries.get(k).keySet()));
                if (column == labelColumn) {
                    label = text;
                } else {
                    categorical.add(text);
                }
            }
            List<Integer> order = new ArrayList<>();
            int categoricalIndex = 0;
            for (int field = 0; field < names.size(); field++) {
                if (role[field] == NUMERIC) {
                    order.add(slot[field]);
                } else if (role[field] == TEXT && field != labelColumn) {
                    order.add(-1 - categoricalIndex++);
                }
            }
            return new Table(file, rows, List.copyOf(numericNames), numeric,
                    java.util.Arrays.copyOf(missing, numericNames.size()), categorical, label,
                    lines.toArray(), List.copyOf(dropped), order.stream().mapToInt(Integer::intValue).toArray());
        }

        /** Reads the next row's fields into {@code row}; returns its line, or -1 at the end. */
        private int readRow(List<String> row) throws IOException {
            row.clear();
            JsonToken t;
            while ((t = parser.nextToken()) != null && t != JsonToken.START_ARRAY) {
                // the end of the previous row
            }
            if (t == null) {
                return -1;
            }
            int line = parser.currentLocation().getLineNr();
            while (parser.nextToken() == JsonToken.VALUE_STRING) {
                row.add(parser.getText());
            }
            return line;
        }

        private void assignRoles(int headerLine) {
            int n = names.size();
            role = new int[n];
            slot = new int[n];
            missing = new long[n];
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < n; i++) {
                index.put(names.get(i), i);
            }
            if (options.label() != null) {
                Integer at = index.get(options.label());
                if (at == null) {
                    throw new InvalidInputException(file + ":" + headerLine + ": no label column '" + options.label()
                            + "'; the " + (options.header() ? "header has " : "rows have ") + describe(names));
                }
                labelColumn = at;
            }
            requireColumns(index, options.ignore(), "ignore", headerLine);
            requireColumns(index, options.categorical(), "categorical", headerLine);
            if (options.features() != null) {
                requireColumns(index, options.features(), "features", headerLine);
            }
            Set<String> ignore = new HashSet<>(options.ignore());
            Set<String> categorical = new HashSet<>(options.categorical());
            Set<String> features = options.features() == null ? null : new HashSet<>(options.features());
            for (int i = 0; i < n; i++) {
                String name = names.get(i);
                if (i == labelColumn || categorical.contains(name)) {
                    role[i] = TEXT;
                    slot[i] = textColumns.size();
                    textColumns.add(i);
                    dictionaries.add(new LinkedHashMap<>());
                    codes.add(new IntChunks());
                } else if (ignore.contains(name) || features != null && !features.contains(name)) {
                    role[i] = IGNORE;
                } else if (features == null) {
                    role[i] = UNDECIDED;
                } else {
                    role[i] = NUMERIC;
                    slot[i] = numericNames.size();
                    numericNames.add(name);
                }
            }
        }

        private void requireColumns(Map<String, Integer> index, List<String> wanted, String key, int line) {
            for (String name : wanted) {
                if (!index.containsKey(name)) {
                    throw new InvalidInputException(file + ":" + line + ": no column '" + name + "' (listed in "
                            + key + "); the " + (options.header() ? "header has " : "rows have ") + describe(names));
                }
            }
        }

        private void readData() throws IOException {
            int width = names.size();
            JsonToken t;
            while ((t = parser.nextToken()) != null) {
                if (t != JsonToken.START_ARRAY) {
                    continue;
                }
                int line = parser.currentLocation().getLineNr();
                int field = 0;
                while (parser.nextToken() == JsonToken.VALUE_STRING) {
                    if (field >= width) {
                        int extra = 1;
                        while (parser.nextToken() == JsonToken.VALUE_STRING) {
                            extra++;
                        }
                        throw ragged(line, width + extra, width);
                    }
                    if (role[field] != IGNORE) {
                        try {
                            cell(line, field, parser.getText());
                        } catch (InvalidInputException e) {
                            // a value in the wrong column is often a row with a field too few or too many
                            int fields = field + 1;
                            while (parser.nextToken() == JsonToken.VALUE_STRING) {
                                fields++;
                            }
                            throw fields != width ? ragged(line, fields, width) : e;
                        }
                    }
                    field++;
                }
                if (field != width) {
                    throw ragged(line, field, width);
                }
                lines.add(line);
                rows++;
                presize();
            }
        }

        /** One cell (the parser's text: Jackson's CSV decoder makes one string per cell anyway). */
        private void cell(int line, int field, String text) {
            int r = role[field];
            if (r == UNDECIDED) {
                r = decide(line, field, text);
            }
            if (r == NUMERIC) {
                numeric(line, field, text);
            } else if (r == TEXT) {
                text(field, text);
            }
        }

        /** Without a feature list: a column whose first value is a number (or missing) is numeric. */
        private int decide(int line, int field, String value) {
            if (MISSING.contains(value) || !Float.isNaN(parse(value))) {
                role[field] = NUMERIC;
                slot[field] = numericNames.size();
                numericNames.add(names.get(field));
                return NUMERIC;
            }
            if (!options.dropTextColumns()) {
                throw new InvalidInputException(file + ":" + line + ":" + (field + 1) + ": \"" + value
                        + "\" is not a number; expected numbers in every column but the label");
            }
            role[field] = IGNORE;
            dropped.add(names.get(field));
            return IGNORE;
        }

        private void numeric(int line, int field, String text) {
            float value = parse(text);
            if (Float.isNaN(value)) {
                if (!MISSING.contains(text)) {
                    throw new InvalidInputException(file + ":" + line + ":" + (field + 1) + ": \"" + text
                            + "\" in numeric column '" + names.get(field) + "' is not a number; expected a "
                            + "number (list the column under categorical: or ignore: if it holds text)");
                }
                if (!options.allowMissing()) {
                    throw new InvalidInputException(file + ":" + line + ":" + (field + 1) + ": missing value"
                            + (text.isEmpty() ? "" : " \"" + text + "\"") + " in column '" + names.get(field)
                            + "'; expected a number, or set missing: mean, median or zero");
                }
                missing[slot[field]]++;
            }
            numeric.add(value);
        }

        private void text(int field, String value) {
            int k = slot[field];
            if (MISSING.contains(value)) {
                codes.get(k).add(-1);
                return;
            }
            Map<String, Integer> dictionary = dictionaries.get(k);
            Integer code = dictionary.get(value);
            if (code == null) {
                code = dictionary.size();
                dictionary.put(value, code);
            }
            codes.get(k).add(code);
        }

        private InvalidInputException ragged(int line, int fields, int width) {
            return new InvalidInputException(file + ":" + line + ": " + fields + " fields; expected " + width
                    + " like the " + (options.header() ? "header" : "first row"));
        }
    }

    /**
     * Parses a decimal number exactly as {@link Float#parseFloat} would, {@code NaN} when the text is
     * not a finite number. Short decimals ({@code [-+]digits[.digits]} with at most 7 significant digits
     * and 10 decimals) take a fast path that is exact: both the digits and the power of ten are exact
     * floats, and one IEEE division rounds correctly.
     */
    static float parse(String text) {
        int i = 0;
        int end = text.length();
        if (i == end) {
            return Float.NaN;
        }
        boolean negative = false;
        if (text.charAt(i) == '-' || text.charAt(i) == '+') {
            negative = text.charAt(i) == '-';
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int decimals = -1;
        int start = i;
        for (; i < end; i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                mantissa = mantissa * 10 + (c - '0');
                if (mantissa != 0) {
                    digits++;
                }
                if (decimals >= 0) {
                    decimals++;
                }
            } else if (c == '.' && decimals < 0) {
                decimals = 0;
            } else {
                break;
            }
        }
        int numerals = i - start - (decimals >= 0 ? 1 : 0);
        if (i == end && numerals > 0 && digits <= 7 && decimals <= 10) {
            float value = decimals <= 0 ? (float) mantissa : (float) mantissa / POWERS[decimals];
            return negative ? -value : value;
        }
        try {
            float value = Float.parseFloat(text);
            return Float.isFinite(value) && !hasLetterSuffix(text) ? value : Float.NaN;
        } catch (NumberFormatException e) {
            return Float.NaN;
        }
    }

    /** {@link Float#parseFloat} accepts a trailing {@code f} or {@code d}; a table does not. */
    private static boolean hasLetterSuffix(String text) {
        char last = text.charAt(text.length() - 1);
        return last == 'f' || last == 'F' || last == 'd' || last == 'D';
    }

    private static String describe(List<String> names) {
        List<String> shown = names.size() > 12 ? names.subList(0, 12) : names;
        return shown.size() + (names.size() > 12 ? " of " + names.size() : "") + " columns: "
                + String.join(", ", shown) + (names.size() > 12 ? ", ..." : "");
    }
}
