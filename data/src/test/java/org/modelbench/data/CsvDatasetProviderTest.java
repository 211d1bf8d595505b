package org.modelbench.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.api.DatasetSplits;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.RecordBinder;
import org.modelbench.api.spi.DatasetRequest;
import org.modelbench.data.config.CsvConfig;

/** The csv format: parsing, encoding from training rows only, and one-line errors with file:line:column. */
class CsvDatasetProviderTest {
    @TempDir
    Path dir;

    private DatasetSplits load(Map<String, Object> params) {
        CsvConfig config = RecordBinder.bind(params, CsvConfig.class, "dataset.params");
        return new CsvDatasetProvider().load(new DatasetRequest(config, dir, dir, line -> { }));
    }

    private String error(Map<String, Object> params) {
        return assertThrows(InvalidInputException.class, () -> load(params)).getMessage();
    }

    private void write(String name, String text) throws IOException {
        Files.writeString(dir.resolve(name), text);
    }

    @Test
    void quotedFieldsStringLabelsAndADetectedDelimiter() throws IOException {
        write("t.csv", "name;a;b;kind\n\"x;1\";1.5;2;cat\n\"y\";-3;4e1;dog\n\"z\";0.25;\"6\";cat\n");
        write("s.csv", "name;a;b;kind\nq;7;8;dog\n");
        DatasetSplits s = load(Map.of("train", "t.csv", "test", "s.csv", "label", "kind"));
        assertEquals(List.of("cat", "dog"), s.train().classNames());
        assertArrayEquals(new int[] {0, 1, 0}, s.train().labels());
        assertArrayEquals(new float[] {1.5f, 2f, -3f, 40f, 0.25f, 6f}, s.train().features().data());
        assertArrayEquals(new float[] {7f, 8f}, s.test().features().data());
        assertEquals("name", s.train().metadata().get("droppedTextColumns"));
    }

    @Test
    void categoriesComeFromTrainingRowsAndUnseenOnesAreZeroAndCounted() throws IOException {
        write("t.csv", "color,size,y\nred,1,0\nblue,2,1\nred,3,1\n");
        write("s.csv", "color,size,y\ngreen,4,0\nblue,5,1\n");
        DatasetSplits s = load(Map.of("train", "t.csv", "test", "s.csv", "label", "y",
                "categorical", List.of("color"), "classes", List.of("no", "yes")));
        assertEquals("3", s.train().sampleShape().toString());
        assertArrayEquals(new float[] {1, 0, 1, 0, 1, 2, 1, 0, 3}, s.train().features().data());
        assertArrayEquals(new float[] {0, 0, 4, 0, 1, 5}, s.test().features().data());
        assertEquals("1", s.test().metadata().get("unseenCategories:color"));
        assertEquals(List.of("no", "yes"), s.train().classNames());
        assertArrayEquals(new int[] {0, 1, 1}, s.train().labels());
    }

    @Test
    void missingValuesAreFilledFromTrainingRowsOnly() throws IOException {
        write("t.csv", "a,y\n1,p\n,p\n3,q\nNA,q\n10,q\n");
        write("s.csv", "a,y\nNaN,p\n100,q\n");
        Map<String, Object> base = Map.of("train", "t.csv", "test", "s.csv", "label", "y");
        assertEquals("t.csv:3:1: missing value in column 'a'; expected a number, or set missing: mean, median or zero",
                error(base).replace(dir + "/", ""));
        DatasetSplits mean = load(with(base, "missing", "mean"));
        assertArrayEquals(new float[] {1, 14 / 3f, 3, 14 / 3f, 10}, mean.train().features().data(), 1e-6f);
        assertArrayEquals(new float[] {14 / 3f, 100}, mean.test().features().data(), 1e-6f);
        assertArrayEquals(new float[] {1, 3, 3, 3, 10}, load(with(base, "missing", "median")).train().features().data());
        assertArrayEquals(new float[] {0, 100}, load(with(base, "missing", "zero")).test().features().data());
    }

    @Test
    void gzipAndSequencesAndAHeldOutSplit() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            text.append(i % 2).append('\t').append(i).append('\t').append(i * 0.5).append('\t').append(-i).append('\n');
        }
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("ucr.tsv.gz")))) {
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
        }
        DatasetSplits s = load(Map.of("train", "ucr.tsv.gz", "layout", "sequence", "testSplit", 0.25));
        assertEquals("1x3", s.train().sampleShape().toString());
        assertEquals(15, s.train().size());
        assertEquals(5, s.test().size());
        assertEquals(List.of("0", "1"), s.train().classNames());
    }

    @Test
    void badTablesFailOnOneLineNamingFileLineAndColumn() throws IOException {
        write("ragged.csv", "a,b,y\n1,2,x\n3,y\n");
        assertEquals("ragged.csv:3: 2 fields; expected 3 like the header",
                error(Map.of("train", "ragged.csv", "label", "y")).replace(dir + "/", ""));
        write("long.csv", "a,b,y\n1,2,x\n3,4,5,y\n");
        assertEquals("long.csv:3: 4 fields; expected 3 like the header",
                error(Map.of("train", "long.csv", "label", "y")).replace(dir + "/", ""));
        write("text.csv", "a,b,y\n1,2,x\n3,abc,y\n");
        assertEquals("text.csv:3:2: \"abc\" in numeric column 'b' is not a number; expected a number (list the column "
                + "under categorical: or ignore: if it holds text)",
                error(Map.of("train", "text.csv", "label", "y")).replace(dir + "/", ""));
        assertEquals("text.csv:1: no label column 'class'; the header has 3 columns: a, b, y",
                error(Map.of("train", "text.csv", "label", "class")).replace(dir + "/", ""));
        write("quote.csv", "a,y\n\"1,x\n");
        String quote = error(Map.of("train", "quote.csv", "label", "y")).replace(dir + "/", "");
        assertEquals("quote.csv:", quote.substring(0, 10), quote);
        write("label.csv", "a,y\n1,x\n2,y\n");
        write("label-test.csv", "a,y\n1,x\n2,z\n");
        assertEquals("label-test.csv:3:2: label \"z\" is not a known class; expected one of [x, y] (classes seen in "
                + "the training rows)",
                error(Map.of("train", "label.csv", "test", "label-test.csv", "label", "y")).replace(dir + "/", ""));
        assertEquals("label.csv: class 'x': 1 row; testSplit needs at least 2 per class (one to train on, one to test)",
                error(Map.of("train", "label.csv", "label", "y")).replace(dir + "/", ""));
    }

    @Test
    void shortDecimalsParseExactlyAsFloatParseFloat() {
        java.util.Random random = new java.util.Random(1);
        for (int i = 0; i < 200_000; i++) {
            String text = switch (i % 4) {
                case 0 -> Integer.toString(random.nextInt(2_000_000) - 1_000_000);
                case 1 -> String.format(java.util.Locale.ROOT, "%.3f", random.nextGaussian() * 100);
                case 2 -> String.format(java.util.Locale.ROOT, "%.7f", random.nextDouble());
                default -> Double.toString(random.nextGaussian() * Math.pow(10, random.nextInt(20) - 10));
            };
            assertEquals(Float.floatToIntBits(Float.parseFloat(text)), Float.floatToIntBits(CsvReader.parse(text)), text);
        }
        assertEquals(Float.NaN, CsvReader.parse("1.5f"));
        assertEquals(Float.NaN, CsvReader.parse("Infinity"));
        assertEquals(Float.NaN, CsvReader.parse("."));
    }

    private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> out = new java.util.LinkedHashMap<>(base);
        out.put(key, value);
        return out;
    }

    @Test
    void infoThenLoadReadsTheFilesOnceUnlessOneChanged() throws IOException {
        Path file = dir.resolve("t.csv");
        write("t.csv", "a,y\n1,p\n2,q\n3,p\n4,q\n5,p\n");
        var time = Files.getLastModifiedTime(file);
        CsvConfig config = RecordBinder.bind(Map.of("train", "t.csv", "label", "y", "testSplit", 0.4), CsvConfig.class,
                "dataset.params");
        CsvDatasetProvider provider = new CsvDatasetProvider();
        DatasetRequest request = new DatasetRequest(config, dir, dir, line -> { });
        assertEquals(3, provider.info(request).trainSize());
        // same size and time: the load takes what info read (the old values), without reading again
        write("t.csv", "a,y\n6,p\n7,q\n8,p\n9,q\n0,p\n");
        Files.setLastModifiedTime(file, time);
        assertEquals(3f, provider.load(request).train().features().data()[0]);
        // a second load reads the file
        assertEquals(8f, provider.load(request).train().features().data()[0]);
        // a file changed after info: the load reads it
        provider.info(request);
        write("t.csv", "a,y\n1,p\n2,q\n3,p\n4,q\n5,p\n6,q\n");
        assertEquals(4, provider.load(request).train().size());
    }
}
