package org.modelbench.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.modelbench.api.InvalidInputException;

/**
 * Reads a delimited text table (plain or gzip, detected by content) into columns, in one pass over the
 * file that also computes its SHA-256. Jackson's CSV parser handles the header and everything CSV
 * allows (quoted fields, embedded delimiters and line breaks, spaces around values); plain unquoted
 * rows of a plain file take {@link CsvFastPath}, which parses numbers from the bytes in parallel ranges
 * into one array, with the same result. Text columns become integer codes in order of first appearance;
 * blank lines are skipped.
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
     * @param sha256         the SHA-256 of the file's bytes (as stored, gzip or not), computed while reading it
     */
    public record Table(Path file, int rows, List<String> numericNames, FloatChunks numeric, long[] missing,
                        List<TextColumn> categorical, TextColumn label, int[] lines, List<String> droppedColumns,
                        int[] featureOrder, String sha256) {

        /** The numeric values in order; can be taken once. */
        public FloatChunks.Cursor numericCursor() {
            return numeric.drain();
        }
    }

    /**
     * Reads {@code file} as {@code options} say, in one pass over its bytes: a plain file through
     * {@link CsvFastPath} (parallel, numbers parsed from the bytes, Jackson for the header and whatever
     * is not a plain row), a gzip file row by row with Jackson.
     */
    public static Table read(Path file, Options options) {
        char delimiter = options.delimiter() != 0 ? options.delimiter() : detectDelimiter(file, options.skipLines());
        try {
            if (!isGzip(file) && Files.size(file) <= Integer.MAX_VALUE - 8 && CsvFastPath.supports(delimiter)) {
                return CsvFastPath.read(file, options, delimiter, CsvFastPath.RANGE);
            }
            return readWithJackson(file, options, delimiter);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(file + ": no such file");
        } catch (ZipException e) {
            throw new InvalidInputException(file + ": not a valid gzip stream (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot read: " + e.getMessage());
        }
    }

    /** Reads {@code file} row by row with Jackson only (gzip or plain), hashing the bytes as they stream by. */
    static Table readWithJackson(Path file, Options options, char delimiter) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream file0 = Files.newInputStream(file)) {
            // the parser closes its input at the end; the hash reads on to the file's last byte
            InputStream raw = new DigestInputStream(new BufferedInputStream(file0, 1 << 16), digest) {
                @Override
                public void close() {
                    // the file is closed by the outer try
                }
            };
            CsvTableBuilder builder = new CsvTableBuilder(file, options, -1);
            try (CsvParser parser = parser(gunzipIfNeeded(raw), delimiter)) {
                builder.readHeader(parser, 0);
                builder.readData(parser, 0);
            }
            raw.transferTo(OutputStream.nullOutputStream());
            return builder.finish(HexFormat.of().formatHex(digest.digest()));
        } catch (JsonProcessingException e) {
            throw notCsv(file, e, 0);
        }
    }

    /** Jackson's CSV parser over {@code in} (UTF-8): quoted fields, trimmed spaces, blank lines skipped. */
    static CsvParser parser(InputStream in, char delimiter) throws IOException {
        CsvSchema schema = CsvSchema.emptySchema().withColumnSeparator(delimiter).withQuoteChar('"')
                .withoutEscapeChar();
        // the features on the factory: set on a parser after it is made, they do not reach its decoder
        CsvFactory factory = CsvFactory.builder().enable(CsvParser.Feature.TRIM_SPACES)
                .enable(CsvParser.Feature.SKIP_EMPTY_LINES).disable(CsvParser.Feature.ALLOW_TRAILING_COMMA).build();
        CsvParser parser = factory.createParser(new InputStreamReader(in, StandardCharsets.UTF_8));
        parser.setSchema(schema);
        return parser;
    }

    /** Jackson's syntax error as one line naming file:line:column (lines off by {@code lineOffset}). */
    static InvalidInputException notCsv(Path file, JsonProcessingException e, int lineOffset) {
        var at = e.getLocation();
        return new InvalidInputException(file + (at == null ? "" : ":" + (at.getLineNr() + lineOffset) + ":"
                + at.getColumnNr()) + ": not valid CSV: " + e.getOriginalMessage());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    private static InputStream gunzipIfNeeded(InputStream raw) throws IOException {
        InputStream in = new BufferedInputStream(raw, 2);
        in.mark(2);
        boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
        in.reset();
        return gzip ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16) : in;
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

    /**
     * Parses a decimal number exactly as {@link Float#parseFloat} would, {@code NaN} when the text is
     * not a finite decimal number (see {@link DecimalParser}).
     */
    static float parse(String text) {
        return DecimalParser.parse(text);
    }

    static String describe(List<String> names) {
        List<String> shown = names.size() > 12 ? names.subList(0, 12) : names;
        return shown.size() + (names.size() > 12 ? " of " + names.size() : "") + " columns: "
                + String.join(", ", shown) + (names.size() > 12 ? ", ..." : "");
    }
}
