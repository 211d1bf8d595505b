package org.modelbench.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.api.InvalidInputException;

/**
 * The fast path reads every table exactly as Jackson alone does (same numbers bit for bit, codes, lines,
 * missing counts, hash, or the same one-line error), whatever its range size: random tables with
 * quotes, blank lines, CRLF, missing values, text with spaces, ragged rows and non-numbers mixed in.
 */
class CsvFastPathTest {
    @TempDir
    Path dir;

    private static final String[] WORDS = {"red", "blue", "dark green", "NA", "", "x y", "é", "7"};

    /** What a read gave: the table's contents as text, or the error. */
    private static String outcome(ReadAction read) {
        try {
            CsvReader.Table t = read.read();
            StringBuilder out = new StringBuilder();
            out.append("rows ").append(t.rows()).append(" numeric ").append(t.numericNames())
                    .append(" missing ").append(java.util.Arrays.toString(t.missing()))
                    .append(" lines ").append(java.util.Arrays.toString(t.lines()))
                    .append(" dropped ").append(t.droppedColumns())
                    .append(" order ").append(java.util.Arrays.toString(t.featureOrder()))
                    .append(" sha ").append(t.sha256()).append('\n');
            FloatChunks.Cursor cursor = t.numericCursor();
            for (long i = 0; i < t.numeric().size(); i++) {
                out.append(Integer.toHexString(Float.floatToRawIntBits(cursor.next()))).append(' ');
            }
            List<CsvReader.TextColumn> text = new ArrayList<>(t.categorical());
            if (t.label() != null) {
                text.add(t.label());
            }
            for (CsvReader.TextColumn c : text) {
                out.append('\n').append(c.name()).append(' ').append(c.column()).append(' ').append(c.values())
                        .append(' ').append(java.util.Arrays.toString(c.codes()));
            }
            return out.toString();
        } catch (InvalidInputException e) {
            return "error " + e.getMessage();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private interface ReadAction {
        CsvReader.Table read() throws IOException;
    }

    private void sameAsJackson(String text, CsvReader.Options options) throws IOException {
        Path file = dir.resolve("t.csv");
        Files.write(file, text.getBytes(StandardCharsets.UTF_8));
        char delimiter = options.delimiter();
        String expected = outcome(() -> CsvReader.readWithJackson(file, options, delimiter));
        for (int range : new int[] {1, 7, 64, CsvFastPath.RANGE}) {
            String actual = outcome(() -> CsvFastPath.read(file, options, delimiter, range));
            assertEquals(expected, actual, "range " + range + " of:\n" + text);
        }
    }

    private static CsvReader.Options table(boolean allowMissing, List<String> features) {
        return new CsvReader.Options(',', true, 0, "y", features, List.of(), List.of("c"), allowMissing, true);
    }

    @Test
    void plainNumbersAndLabelsReadLikeJackson() throws IOException {
        sameAsJackson("a,b,c,y\n1,2.5,red,p\n-3,4e1,blue,q\n0.25,7,red,p\n", table(false, null));
        sameAsJackson("a,b,c,y\r\n1,2.5,red,p\r\n\r\n-3,4e1,blue,q\r\n0.25,7,red,p", table(false, null));
        sameAsJackson("\"a\",\"b\",c,y\n1,2,red,p\n\n\n3,4,blue,q\n\n\n", table(false, null));
        sameAsJackson("a,b,c,y\n1,2,red,p\n3,\"4\",blue,q\n5,6,\"dark, green\",q\n7,8,red,p\n", table(false, null));
        sameAsJackson("a,b,c,y\n1,,red,p\n3,NA,blue,q\nNaN,6,,q\n", table(true, null));
        sameAsJackson("a,b,c,y\n1,,red,p\n", table(false, null));
        sameAsJackson("a,b,c,y\n1,2,red,p\n3,4,blue\n", table(false, null));
        sameAsJackson("a,b,c,y\n1,2,red,p\n3,x,blue,q\n", table(false, List.of("a", "b")));
        sameAsJackson("a,b,c,y\n1,2, red,p\n3,4,blue,q\n", table(false, null));
        sameAsJackson("a,b,c,y\n1,2,red,p\r3,4,blue,q\n", table(false, null));
        sameAsJackson("a,b,c,y\nname,2,red,p\n3,4,blue,q\n", table(false, null));
        sameAsJackson("a,b,c,y\n", table(false, null));
        sameAsJackson("", table(false, null));
        sameAsJackson("# comment\n3,1.5,2\n4,2.5,1\n", new CsvReader.Options(',', false, 1, "1", null, List.of(),
                List.of(), false, false));
        sameAsJackson("1;2;x\n3;4;y\n", new CsvReader.Options(';', false, 0, "3", null, List.of(), List.of(), false,
                false));
    }

    @Test
    void randomTablesReadLikeJackson() throws IOException {
        SplittableRandom random = new SplittableRandom(42);
        for (int t = 0; t < 150; t++) {
            boolean crlf = random.nextInt(3) == 0;
            int rows = 1 + random.nextInt(40);
            StringBuilder text = new StringBuilder("a,b,c,y");
            for (int r = 0; r < rows; r++) {
                text.append(crlf ? "\r\n" : "\n");
                if (random.nextInt(15) == 0) {
                    text.append(crlf ? "\r\n" : "\n");
                }
                text.append(number(random)).append(',').append(number(random)).append(',')
                        .append(word(random)).append(',').append(random.nextInt(3));
                if (random.nextInt(150) == 0) {
                    text.append(",9");
                }
            }
            if (random.nextBoolean()) {
                text.append(crlf ? "\r\n" : "\n");
            }
            sameAsJackson(text.toString(), table(random.nextBoolean(), random.nextBoolean() ? null : List.of("a", "b")));
        }
    }

    private static String number(SplittableRandom random) {
        return switch (random.nextInt(60)) {
            case 0 -> "";
            case 1 -> "NA";
            case 2 -> "\"" + random.nextInt(100) + "\"";
            case 3 -> "1e" + (random.nextInt(90) - 45);
            case 4 -> "x";
            default -> random.nextBoolean() ? String.valueOf(random.nextInt(256))
                    : String.valueOf((float) random.nextGaussian() * (float) Math.pow(10, random.nextInt(12) - 6));
        };
    }

    private static String word(SplittableRandom random) {
        String word = WORDS[random.nextInt(WORDS.length)];
        return random.nextInt(40) == 0 ? "\"" + word + "\"" : word;
    }

    @Test
    void aTableOfManyRangesHasItsRowsInOrderAndOneArrayOfExactlyTheirNumbers() throws IOException {
        StringBuilder text = new StringBuilder("p0,p1,p2,label\n");
        for (int r = 0; r < 5000; r++) {
            text.append(r).append(',').append(r % 256).append(',').append(r * 0.5f).append(',').append(r % 10)
                    .append('\n');
        }
        text.append("\n\n");
        Path file = dir.resolve("many.csv");
        Files.writeString(file, text);
        CsvReader.Options options = new CsvReader.Options(',', true, 0, "label", null, List.of(), List.of(), false, true);
        CsvReader.Table t = CsvFastPath.read(file, options, ',', 1000);
        assertEquals(5000, t.rows());
        float[] values = t.numeric().exactArray();
        assertNotNull(values, "one array of exactly rows x columns (trailing blank lines get no row)");
        for (int r = 0; r < 5000; r++) {
            assertArrayEquals(new float[] {r, r % 256, r * 0.5f}, java.util.Arrays.copyOfRange(values, 3 * r, 3 * r + 3));
            assertEquals(r + 2, t.lines()[r]);
        }
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), t.label().values());
        assertEquals(DataCache.sha256(file), t.sha256());
    }

    @Test
    void integersOfOneToSevenDigitsParseLikeParseFloat() throws IOException {
        StringBuilder text = new StringBuilder("a,b,y\n");
        SplittableRandom random = new SplittableRandom(3);
        List<Float> expected = new ArrayList<>();
        for (int r = 0; r < 3000; r++) {
            for (int k = 0; k < 2; k++) {
                int digits = 1 + random.nextInt(8);
                StringBuilder number = new StringBuilder(random.nextInt(5) == 0 ? "-" : "");
                for (int d = 0; d < digits; d++) {
                    number.append((char) ('0' + random.nextInt(10)));
                }
                if (random.nextInt(4) == 0) {
                    number.append('.').append(random.nextInt(1000));
                }
                expected.add(Float.parseFloat(number.toString()));
                text.append(number).append(',');
            }
            text.append(r % 3).append('\n');
        }
        Path file = dir.resolve("ints.csv");
        Files.writeString(file, text);
        CsvReader.Table t = CsvFastPath.read(file, new CsvReader.Options(',', true, 0, "y", null, List.of(), List.of(),
                false, true), ',', 4096);
        FloatChunks.Cursor cursor = t.numericCursor();
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(Float.floatToRawIntBits(expected.get(i)), Float.floatToRawIntBits(cursor.next()), "value " + i);
        }
    }
}
