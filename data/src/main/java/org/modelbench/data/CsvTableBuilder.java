package org.modelbench.data;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.modelbench.api.InvalidInputException;

/**
 * The column roles and stores of a table being read, filled row by row: by Jackson's parser
 * ({@link #readHeader}, {@link #readData}) or, for unquoted numeric rows, by {@link CsvFastPath},
 * which fills the same stores in bulk and hands the rest of the file to {@link #readData}.
 *
 * <p>Lifecycle: names (from {@link #readHeader} or {@link #setNames}), then rows, then {@link #finish}.
 */
final class CsvTableBuilder {
    static final int IGNORE = 0;
    static final int NUMERIC = 1;
    static final int TEXT = 2;
    static final int UNDECIDED = 3;

    final Path file;
    final CsvReader.Options options;
    List<String> names;
    int[] role;
    /** Numeric columns: the index among numeric columns; text columns: the index among text columns. */
    int[] slot;
    final FloatChunks numeric = new FloatChunks();
    final List<String> numericNames = new ArrayList<>();
    long[] missing;
    final List<Map<String, Integer>> dictionaries = new ArrayList<>();
    final List<IntChunks> codes = new ArrayList<>();
    final List<Integer> textColumns = new ArrayList<>();
    private final List<String> dropped = new ArrayList<>();
    IntChunks lines = new IntChunks();
    int labelColumn = -1;
    int rows;
    /** An upper bound of the data rows, to presize the numbers with; -1 when unknown. */
    private final long rowBound;

    CsvTableBuilder(Path file, CsvReader.Options options, long rowBound) {
        this.file = file;
        this.options = options;
        this.rowBound = rowBound;
    }

    /** Once the first row has fixed the numeric width: one array for all rows, when their count is bounded. */
    private void presize() {
        if (rows == 1 && rowBound > 0) {
            numeric.presize(rowBound * numericNames.size());
        }
    }

    /**
     * Reads the rows to skip and the header (or, without a header, the first row, which names the columns
     * by number and is data) with {@code parser}, whose line numbers are off by {@code lineOffset}.
     */
    void readHeader(CsvParser parser, int lineOffset) throws IOException {
        List<String> row = new ArrayList<>();
        for (int skipped = 0; skipped < options.skipLines(); skipped++) {
            if (readRow(parser, row, lineOffset) < 0) {
                throw new InvalidInputException(file + ": ends within the " + options.skipLines()
                        + " line(s) to skip");
            }
        }
        int line = readRow(parser, row, lineOffset);
        if (line < 0) {
            throw new InvalidInputException(file + ":1: empty file; expected " + (options.header()
                    ? "a header row" : "data rows"));
        }
        if (options.header()) {
            setNames(row, line);
        } else {
            setNames(numbered(row.size()), line);
            for (int field = 0; field < row.size(); field++) {
                cell(line, field, row.get(field));
            }
            lines.add(line);
            rows++;
            presize();
        }
    }

    /** The names {@code 1..n}, for a table without a header. */
    static List<String> numbered(int n) {
        List<String> numbers = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            numbers.add(String.valueOf(i));
        }
        return numbers;
    }

    /** Names the columns (the header row, on line {@code line}) and assigns their roles. */
    void setNames(List<String> header, int line) {
        names = List.copyOf(header);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            if (!seen.add(names.get(i))) {
                throw new InvalidInputException(file + ":" + line + ":" + (i + 1) + ": header name '"
                        + names.get(i) + "' appears twice; expected unique column names");
            }
        }
        assignRoles(line);
    }

    /** The table as read, with the SHA-256 of the file's bytes. */
    CsvReader.Table finish(String sha256) {
        if (rows == 0) {
            throw new InvalidInputException(file + ": no data rows; expected at least one row after the header");
        }
        List<CsvReader.TextColumn> categorical = new ArrayList<>();
        CsvReader.TextColumn label = null;
        for (int k = 0; k < textColumns.size(); k++) {
            int column = textColumns.get(k);
            CsvReader.TextColumn text = new CsvReader.TextColumn(names.get(column), column + 1,
                    codes.get(k).toArray(), List.copyOf(dictionaries.get(k).keySet()));
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
        return new CsvReader.Table(file, rows, List.copyOf(numericNames), numeric,
                java.util.Arrays.copyOf(missing, numericNames.size()), categorical, label,
                lines.toArray(), List.copyOf(dropped), order.stream().mapToInt(Integer::intValue).toArray(), sha256);
    }

    /** Reads the next row's fields into {@code row}; returns its line, or -1 at the end. */
    private static int readRow(CsvParser parser, List<String> row, int lineOffset) throws IOException {
        row.clear();
        JsonToken t;
        while ((t = parser.nextToken()) != null && t != JsonToken.START_ARRAY) {
            // the end of the previous row
        }
        if (t == null) {
            return -1;
        }
        int line = parser.currentLocation().getLineNr() + lineOffset;
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
                        + "'; the " + (options.header() ? "header has " : "rows have ") + CsvReader.describe(names));
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
                        + key + "); the " + (options.header() ? "header has " : "rows have ") + CsvReader.describe(names));
            }
        }
    }

    /** Reads the remaining rows with {@code parser}, whose line numbers are off by {@code lineOffset}. */
    void readData(CsvParser parser, int lineOffset) throws IOException {
        int width = names.size();
        JsonToken t;
        while ((t = parser.nextToken()) != null) {
            if (t != JsonToken.START_ARRAY) {
                continue;
            }
            int line = parser.currentLocation().getLineNr() + lineOffset;
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
    int decide(int line, int field, String value) {
        if (CsvReader.MISSING.contains(value) || !Float.isNaN(CsvReader.parse(value))) {
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
        float value = CsvReader.parse(text);
        if (Float.isNaN(value)) {
            if (!CsvReader.MISSING.contains(text)) {
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
        if (CsvReader.MISSING.contains(value)) {
            codes.get(k).add(-1);
            return;
        }
        codes.get(k).add(code(k, value));
    }

    /** The code of {@code value} in text column {@code k}, added in order of first appearance. */
    int code(int k, String value) {
        Map<String, Integer> dictionary = dictionaries.get(k);
        Integer code = dictionary.get(value);
        if (code == null) {
            code = dictionary.size();
            dictionary.put(value, code);
        }
        return code;
    }

    private InvalidInputException ragged(int line, int fields, int width) {
        return new InvalidInputException(file + ":" + line + ": " + fields + " fields; expected " + width
                + " like the " + (options.header() ? "header" : "first row"));
    }
}
