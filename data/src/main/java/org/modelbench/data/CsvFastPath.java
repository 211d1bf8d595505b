package org.modelbench.data;

import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Reads a plain (not gzip) table with one pass over the file's bytes, mapped into memory: the
 * SHA-256 on one thread while the rows are parsed in parallel ranges of lines, numbers straight from
 * the bytes into the final array ({@link DecimalParser}, no string per cell).
 *
 * <p>Jackson's parser still owns everything CSV can do beyond plain rows: the header row (quoted
 * names included), and every row from the first one this path does not take on to the end of the
 * file. This path takes a row when it has no quote character, no line break but {@code \n} or
 * {@code \r\n}, no text value with a space or control character at either end, the header's number of
 * fields, and numbers (or allowed missing values) in every numeric column. Anything else, a bad
 * row included, goes to Jackson from that row on, which then reads (or reports, with file:line:column)
 * exactly what it would have from the start.
 *
 * <p>The result does not depend on the number of threads: the ranges are fixed by the file's bytes,
 * each range writes its own rows, and text values get their codes in order of first appearance when
 * the ranges are merged in file order.
 */
final class CsvFastPath {
    /** The bytes of one range of lines, before it is extended to the end of its last line. */
    static final int RANGE = 1 << 22;
    /** The longest prefix (skipped rows and the header) this path looks for. */
    private static final int MAX_PREFIX = 1 << 24;
    private static final float[] POWERS = {1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f};

    private final Path file;
    private final CsvReader.Options options;
    private final byte delimiter;
    private final MappedByteBuffer map;
    private final int size;
    private final int rangeBytes;
    private final CsvTableBuilder builder;
    /** Range buffers for reuse (about one per parsing thread). */
    private final java.util.concurrent.ConcurrentLinkedQueue<byte[]> buffers = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private CsvFastPath(Path file, CsvReader.Options options, char delimiter, MappedByteBuffer map, int size,
                        int rangeBytes) {
        this.file = file;
        this.options = options;
        this.delimiter = (byte) delimiter;
        this.map = map;
        this.size = size;
        this.rangeBytes = rangeBytes;
        this.builder = new CsvTableBuilder(file, options, -1);
    }

    /** Whether this path can read a table with {@code delimiter}: one ASCII character that is not a quote, space or line break. */
    static boolean supports(char delimiter) {
        return delimiter > ' ' && delimiter < 127 && delimiter != '"';
    }

    /**
     * Reads {@code file} (at most {@link Integer#MAX_VALUE} bytes, not gzip) in ranges of about
     * {@code rangeBytes}.
     */
    static CsvReader.Table read(Path file, CsvReader.Options options, char delimiter, int rangeBytes)
            throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            Hasher hasher = new Hasher(map.duplicate());
            hasher.start();
            try {
                return new CsvFastPath(file, options, delimiter, map, (int) size, rangeBytes).read(channel, hasher);
            } finally {
                hasher.cancelAndJoin();
            }
        }
    }

    private CsvReader.Table read(FileChannel channel, Hasher hasher) throws IOException {
        int prefixRows = options.skipLines() + (options.header() ? 1 : 0);
        int[] prefix = prefixEnd(prefixRows);
        if (prefix == null) {
            return jacksonFromStart(channel, hasher);
        }
        int dataStart = prefix[0];
        int dataLine = prefix[1];
        if (options.header()) {
            byte[] header = new byte[dataStart];
            map.get(0, header);
            try (CsvParser parser = CsvReader.parser(new ByteArrayInputStream(header), (char) delimiter)) {
                builder.readHeader(parser, 0);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw CsvReader.notCsv(file, e, 0);
            }
        }
        if (!firstRow(dataStart, dataLine)) {
            if (!options.header()) {
                return jacksonFromStart(channel, hasher);
            }
            return jacksonFrom(channel, hasher, dataStart, dataLine);
        }
        int[] starts = rangeStarts(dataStart);
        int ranges = starts.length - 1;
        ByteBuffer little = map.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        Count[] counts = IntStream.range(0, ranges).parallel()
                .mapToObj(k -> count(little, starts[k], starts[k + 1], k == ranges - 1)).toArray(Count[]::new);
        // each line of the data has a slot (a row index), so that every range knows where its rows go;
        // blank lines leave their slot empty (compacted below), trailing blank lines get none
        int quoted = ranges;
        long slots = 0;
        int[] firstSlot = new int[ranges];
        int[] firstLine = new int[ranges];
        for (int k = 0, line = dataLine; k < ranges; k++) {
            if (counts[k].quote && quoted == ranges) {
                quoted = k;
            }
            firstSlot[k] = (int) Math.min(slots, Integer.MAX_VALUE);
            firstLine[k] = line;
            slots += counts[k].lines;
            line += counts[k].lines;
        }
        slots -= trailingBlankLines(dataStart);
        int width = builder.numericNames.size();
        if (slots * Math.max(1, width) > Integer.MAX_VALUE - 8) {
            return jacksonFrom(channel, hasher, dataStart, dataLine);
        }
        builder.numeric.presize(slots * width);
        int[] lines = new int[(int) slots];
        int[][] codes = new int[builder.textColumns.size()][(int) slots];
        Rows shared = new Rows(builder.numeric.presizedArray(), width, lines, codes);
        int total = (int) slots;
        Range[] parsed = IntStream.range(0, quoted).parallel()
                .mapToObj(k -> parse(shared, starts[k], starts[k + 1], firstSlot[k], firstLine[k],
                        Math.max(Math.min(firstSlot[k], total), Math.min(k + 1 < ranges ? firstSlot[k + 1] : total, total))))
                .toArray(Range[]::new);
        int rows = 0;
        int end = quoted < ranges ? firstSlot[quoted] : total;
        int restart = quoted < ranges ? starts[quoted] : -1;
        int restartLine = quoted < ranges ? firstLine[quoted] : -1;
        for (int k = 0; k < quoted; k++) {
            Range range = parsed[k];
            merge(range, lines, codes);
            rows += range.rows;
            if (range.stopOffset >= 0) {
                end = range.endSlot;
                restart = range.stopOffset;
                restartLine = range.stopLine;
                break;
            }
        }
        if (rows < end) {
            compact(shared, end);
        }
        builder.rows = rows;
        builder.numeric.setSize((long) rows * width);
        builder.lines = new IntChunks(lines, rows);
        for (int c = 0; c < codes.length; c++) {
            builder.codes.set(c, new IntChunks(codes[c], rows));
        }
        if (restart >= 0) {
            readRest(channel, restart, restartLine);
        }
        return builder.finish(hasher.hex());
    }

    /** The whole file with Jackson (what the fast path does not take on from the first rows). */
    private CsvReader.Table jacksonFromStart(FileChannel channel, Hasher hasher) throws IOException {
        CsvTableBuilder fresh = new CsvTableBuilder(file, options, -1);
        try (CsvParser parser = CsvReader.parser(stream(channel, 0), (char) delimiter)) {
            fresh.readHeader(parser, 0);
            fresh.readData(parser, 0);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw CsvReader.notCsv(file, e, 0);
        }
        return fresh.finish(hasher.hex());
    }

    /** The data rows from byte {@code offset} (line {@code line}) on with Jackson. */
    private CsvReader.Table jacksonFrom(FileChannel channel, Hasher hasher, int offset, int line) throws IOException {
        readRest(channel, offset, line);
        return builder.finish(hasher.hex());
    }

    private void readRest(FileChannel channel, int offset, int line) throws IOException {
        try (CsvParser parser = CsvReader.parser(stream(channel, offset), (char) delimiter)) {
            builder.readData(parser, line - 1);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw CsvReader.notCsv(file, e, line - 1);
        }
    }

    private static InputStream stream(FileChannel channel, long offset) throws IOException {
        return new BufferedInputStream(Channels.newInputStream(channel.position(offset)), 1 << 16);
    }

    /**
     * Where the data starts after {@code rows} rows (blank lines not counted, quotes respected) and its
     * line: {@code {offset, line}}; {@code null} when the prefix ends the file, is longer than
     * {@link #MAX_PREFIX} or has a line break this path does not take ({@code \r} alone).
     */
    private int[] prefixEnd(int rows) {
        int pos = 0;
        int line = 1;
        boolean quoted = false;
        boolean content = false;
        int limit = Math.min(size, MAX_PREFIX);
        while (rows > 0) {
            if (pos >= limit) {
                return null;
            }
            byte b = map.get(pos++);
            if (b == '"') {
                quoted = !quoted;
                content = true;
            } else if (b == '\r') {
                if (pos >= size || map.get(pos) != '\n') {
                    return null;
                }
            } else if (b == '\n') {
                line++;
                if (!quoted) {
                    rows -= content ? 1 : 0;
                    content = false;
                }
            } else {
                content = true;
            }
        }
        return new int[] {pos, line};
    }

    /**
     * The first data row from {@code offset}: names the columns when there is no header and decides, for
     * columns left to their first value, whether they are numeric. False when Jackson should read it
     * (quotes, a lone {@code \r}, spaces at a text's ends, a field count other than the header's, no row).
     */
    private boolean firstRow(int offset, int line) {
        int pos = offset;
        while (pos < size) {
            byte b = map.get(pos);
            if (b == '\n') {
                pos++;
                line++;
            } else if (b == '\r' && pos + 1 < size && map.get(pos + 1) == '\n') {
                pos += 2;
                line++;
            } else {
                break;
            }
        }
        if (pos >= size) {
            return false;
        }
        int end = pos;
        while (end < size && map.get(end) != '\n') {
            end++;
        }
        byte[] row = new byte[end - pos];
        map.get(pos, row);
        int length = row.length > 0 && row[row.length - 1] == '\r' && end < size ? row.length - 1 : row.length;
        List<String> fields = new java.util.ArrayList<>();
        for (int start = 0, i = 0; i <= length; i++) {
            if (i == length || row[i] == delimiter) {
                if (i > start && (isEdgeSpace(row[start]) || isEdgeSpace(row[i - 1]))) {
                    return false;
                }
                fields.add(new String(row, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            } else if (row[i] == '"' || row[i] == '\r') {
                return false;
            }
        }
        if (!options.header()) {
            builder.setNames(CsvTableBuilder.numbered(fields.size()), line);
        }
        if (fields.size() != builder.names.size()) {
            return false;
        }
        for (int field = 0; field < fields.size(); field++) {
            if (builder.role[field] == CsvTableBuilder.UNDECIDED) {
                builder.decide(line, field, fields.get(field));
            }
        }
        return true;
    }

    private static boolean isEdgeSpace(byte b) {
        return b >= 0 && b <= ' ';
    }

    /** The range boundaries: {@code dataStart}, then every line end about {@link #rangeBytes} further, then the size. */
    private int[] rangeStarts(int dataStart) {
        List<Integer> starts = new java.util.ArrayList<>();
        int start = dataStart;
        while (start < size) {
            starts.add(start);
            long end = Math.min((long) start + rangeBytes, size);
            while (end < size && map.get((int) end - 1) != '\n') {
                end++;
            }
            start = (int) end;
        }
        starts.add(size);
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The lines of a range (the last one counted when it has no line break) and whether it holds a quote. */
    private record Count(int lines, boolean quote) {
    }

    private static final long ONES = 0x0101010101010101L;
    private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;

    /** The bytes of {@code word} equal to the byte repeated in {@code pattern}, each as its high bit (exact, no carries). */
    private static long matches(long word, long pattern) {
        long v = word ^ pattern;
        return ~(((v & LOW7) + LOW7) | v | LOW7);
    }

    /** Counts line breaks and looks for quotes, eight bytes at a time. */
    private static Count count(ByteBuffer little, int from, int to, boolean last) {
        long newline = '\n' * ONES;
        long quote = '"' * ONES;
        int lines = 0;
        long quotes = 0;
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long word = little.getLong(i);
            lines += Long.bitCount(matches(word, newline));
            quotes |= matches(word, quote);
        }
        for (; i < to; i++) {
            byte b = little.get(i);
            lines += b == '\n' ? 1 : 0;
            quotes |= b == '"' ? 1 : 0;
        }
        if (last && to > from && little.get(to - 1) != '\n') {
            lines++;
        }
        return new Count(lines, quotes != 0);
    }

    /** The blank lines at the end of the file, after the last line with content (from {@code dataStart} on). */
    private int trailingBlankLines(int dataStart) {
        int newlines = 0;
        int i = size - 1;
        for (; i >= dataStart; i--) {
            byte b = map.get(i);
            if (b == '\n') {
                newlines++;
            } else if (b != '\r') {
                break;
            }
        }
        return i < dataStart ? newlines : Math.max(0, newlines - 1);
    }

    /** Moves the rows down over the empty slots of blank lines in {@code [0, end)}. */
    private static void compact(Rows rows, int end) {
        int to = 0;
        for (int from = 0; from < end; from++) {
            if (rows.lines[from] == 0) {
                continue;
            }
            if (to != from) {
                System.arraycopy(rows.values, from * rows.width, rows.values, to * rows.width, rows.width);
                rows.lines[to] = rows.lines[from];
                for (int[] column : rows.codes) {
                    column[to] = column[from];
                }
            }
            to++;
        }
    }

    /**
     * A buffer holding bytes {@code [from, to)} of the file at its start and then a {@code \n} (the end of
     * the last line, so that the number scan needs no bound check): one the pool kept (so that the ranges
     * reuse a few buffers rather than allocating and zeroing one each), or a new one.
     */
    private byte[] bytes(int from, int to) {
        byte[] buffer = buffers.poll();
        if (buffer == null || buffer.length < to - from + 1) {
            buffer = new byte[Math.max(to - from + 1, rangeBytes + (rangeBytes >> 3))];
        }
        map.get(from, buffer, 0, to - from);
        buffer[to - from] = '\n';
        return buffer;
    }

    /** The stores every range writes its own rows into. */
    private record Rows(float[] values, int width, int[] lines, int[][] codes) {
    }

    /**
     * A parsed range: {@code rows} rows in its slots {@code [firstSlot, endSlot)}; {@code stopOffset} (with its
     * line) is the first row it did not take, whose slot is {@code endSlot}, or -1 when it took all; missing
     * values per numeric column; each text column's values in order of first appearance.
     */
    private record Range(int firstSlot, int rows, int endSlot, int stopOffset, int stopLine, long[] missing,
                         ByteDictionary[] dictionaries) {
    }

    private Range parse(Rows out, int from, int to, int firstSlot, int firstLine, int endSlot) {
        byte[] buf = bytes(from, to);
        try {
            return parse(out, buf, to - from, from, firstSlot, firstLine, endSlot);
        } finally {
            buffers.offer(buf);
        }
    }

    private Range parse(Rows out, byte[] buf, int n, int from, int firstSlot, int firstLine, int endSlot) {
        int[] role = builder.role;
        int[] slot = builder.slot;
        int width = role.length;
        int numericWidth = out.width;
        float[] values = out.values;
        boolean allowMissing = options.allowMissing();
        byte delim = delimiter;
        long[] missing = new long[numericWidth];
        int[] rowMissing = new int[numericWidth + 1];
        ByteDictionary[] dictionaries = new ByteDictionary[out.codes.length];
        for (int c = 0; c < dictionaries.length; c++) {
            dictionaries[c] = new ByteDictionary();
        }
        int lineToSlot = firstLine - firstSlot;
        int rows = 0;
        int line = firstLine;
        int pos = 0;
        while (pos < n) {
            byte b = buf[pos];
            if (b == '\n') {
                pos++;
                line++;
                continue;
            }
            if (b == '\r' && pos + 1 < n && buf[pos + 1] == '\n') {
                pos += 2;
                line++;
                continue;
            }
            int rowStart = pos;
            int row = line - lineToSlot;
            int base = row * numericWidth;
            int missingInRow = 0;
            int field = 0;
            boolean ok = row < endSlot;
            while (ok) {
                if (field == width) {
                    ok = false;
                    break;
                }
                int r = role[field];
                if (r == CsvTableBuilder.NUMERIC) {
                    // the common short decimal ([-]digits[.digits], at most 7 numerals) parsed while scanning:
                    // exact, as the digits and the power of ten are exact floats (see DecimalParser)
                    int p = pos;
                    int c = buf[p];
                    boolean negative = c == '-';
                    if (negative) {
                        c = buf[++p];
                    }
                    int mantissa = 0;
                    int digitsFrom = p;
                    for (int d; (d = c - '0') >= 0 && d <= 9; c = buf[++p]) {
                        mantissa = mantissa * 10 + d;
                    }
                    int numerals = p - digitsFrom;
                    int decimals = 0;
                    if (c == '.') {
                        int fractionFrom = ++p;
                        for (int d; (d = (c = buf[p]) - '0') >= 0 && d <= 9; p++) {
                            mantissa = mantissa * 10 + d;
                        }
                        decimals = p - fractionFrom;
                        numerals += decimals;
                    }
                    if (numerals > 0 && numerals <= 7 && (c == delim || c == '\n')) {
                        // at most 7 numerals: the int did not overflow and is an exact float
                        float v = decimals == 0 ? (float) mantissa : mantissa / POWERS[decimals];
                        values[base + slot[field]] = negative ? -v : v;
                        field++;
                        pos = p;
                        if (c == delim) {
                            pos++;
                            continue;
                        }
                        break;
                    }
                }
                int start = pos;
                while (pos < n) {
                    b = buf[pos];
                    if (b == delim || b == '\n' || b == '"' || b == '\r') {
                        break;
                    }
                    pos++;
                }
                int end = pos;
                b = pos < n ? buf[pos] : delim;
                if (b == '"' || b == '\r' && (pos + 1 >= n || buf[pos + 1] != '\n')) {
                    ok = false;
                    break;
                }
                if (r == CsvTableBuilder.NUMERIC) {
                    float v = DecimalParser.parse(buf, start, end);
                    if (v != v) {
                        ok = allowMissing && isMissing(buf, start, end);
                        rowMissing[missingInRow] = slot[field];
                        missingInRow += ok ? 1 : 0;
                    }
                    values[base + slot[field]] = v;
                } else if (r == CsvTableBuilder.TEXT) {
                    int c = slot[field];
                    if (isMissing(buf, start, end)) {
                        out.codes[c][row] = -1;
                    } else if (isEdgeSpace(buf[start]) || isEdgeSpace(buf[end - 1])) {
                        ok = false;
                    } else {
                        out.codes[c][row] = dictionaries[c].code(buf, start, end, row);
                    }
                }
                field++;
                if (pos < n && buf[pos] == delim) {
                    pos++;
                    continue;
                }
                break;
            }
            if (!ok || field != width) {
                return new Range(firstSlot, rows, Math.min(row, endSlot), from + rowStart, line, missing, dictionaries);
            }
            for (int i = 0; i < missingInRow; i++) {
                missing[rowMissing[i]]++;
            }
            if (pos < n) {
                pos += buf[pos] == '\r' ? 2 : 1;
            }
            out.lines[row] = line;
            rows++;
            line++;
        }
        return new Range(firstSlot, rows, endSlot, -1, -1, missing, dictionaries);
    }

    private static boolean isMissing(byte[] b, int start, int end) {
        int length = end - start;
        return length == 0 || length == 2 && b[start] == 'N' && b[start + 1] == 'A'
                || length == 3 && b[start] == 'N' && b[start + 1] == 'a' && b[start + 2] == 'N';
    }

    /** Adds a range's missing counts and gives its text values their codes, in file order. */
    private void merge(Range range, int[] lines, int[][] codes) {
        for (int s = 0; s < range.missing.length; s++) {
            builder.missing[s] += range.missing[s];
        }
        for (int c = 0; c < codes.length; c++) {
            ByteDictionary local = range.dictionaries[c];
            int[] global = new int[local.size];
            for (int i = 0; i < local.size; i++) {
                global[i] = local.firstRow[i] < range.endSlot
                        ? builder.code(c, new String(local.values[i], StandardCharsets.UTF_8)) : -1;
            }
            int[] column = codes[c];
            for (int row = Math.min(range.firstSlot, range.endSlot); row < range.endSlot; row++) {
                if (lines[row] != 0 && column[row] >= 0) {
                    column[row] = global[column[row]];
                }
            }
        }
    }

    /** Distinct byte strings of one text column in one range, in order of first appearance. */
    private static final class ByteDictionary {
        byte[][] values = new byte[16][];
        int[] firstRow = new int[16];
        int size;
        private int[] table = new int[64];

        ByteDictionary() {
            Arrays.fill(table, -1);
        }

        int code(byte[] b, int start, int end, int row) {
            int hash = 1;
            for (int i = start; i < end; i++) {
                hash = 31 * hash + b[i];
            }
            int mask = table.length - 1;
            for (int at = mix(hash) & mask; ; at = (at + 1) & mask) {
                int code = table[at];
                if (code < 0) {
                    return add(b, start, end, row, at);
                }
                byte[] v = values[code];
                if (Arrays.equals(v, 0, v.length, b, start, end)) {
                    return code;
                }
            }
        }

        private int add(byte[] b, int start, int end, int row, int at) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
                firstRow = Arrays.copyOf(firstRow, size * 2);
            }
            values[size] = Arrays.copyOfRange(b, start, end);
            firstRow[size] = row;
            table[at] = size;
            int code = size++;
            if (size * 2 > table.length) {
                rehash();
            }
            return code;
        }

        private void rehash() {
            table = new int[table.length * 2];
            Arrays.fill(table, -1);
            int mask = table.length - 1;
            for (int code = 0; code < size; code++) {
                int hash = 1;
                for (byte x : values[code]) {
                    hash = 31 * hash + x;
                }
                int at = mix(hash) & mask;
                while (table[at] >= 0) {
                    at = (at + 1) & mask;
                }
                table[at] = code;
            }
        }

        private static int mix(int h) {
            return h ^ (h >>> 16) * 0x45d9f3b;
        }
    }

    /** The SHA-256 of the mapped file, computed on its own thread while the rows are parsed. */
    private static final class Hasher extends Thread {
        private final ByteBuffer bytes;
        private volatile boolean cancelled;
        private String hex;

        Hasher(ByteBuffer bytes) {
            super("csv-sha256");
            setDaemon(true);
            this.bytes = bytes;
        }

        @Override
        public void run() {
            MessageDigest digest = CsvReader.sha256();
            byte[] chunk = new byte[1 << 20];
            while (bytes.hasRemaining() && !cancelled) {
                int n = Math.min(chunk.length, bytes.remaining());
                bytes.get(chunk, 0, n);
                digest.update(chunk, 0, n);
            }
            hex = HexFormat.of().formatHex(digest.digest());
        }

        String hex() {
            try {
                join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while hashing", e);
            }
            return hex;
        }

        void cancelAndJoin() {
            cancelled = true;
            try {
                join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
