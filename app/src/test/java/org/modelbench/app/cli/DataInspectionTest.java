package org.modelbench.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.app.CliRun;

/** {@code modelbench data inspect} on every format. */
class DataInspectionTest {
    @TempDir
    Path dir;

    @Test
    void tablesShowColumnStatisticsMissingCountsAndClasses() throws IOException {
        Path csv = dir.resolve("t.csv");
        Files.writeString(csv, "a,b,name,y\n1,10,x,p\n3,NA,y,q\n2,30,z,q\n");
        CliRun run = CliRun.of("data", "inspect", csv.toString(), "--label", "y");
        assertEquals(0, run.exitCode(), run.err());
        String out = run.out();
        assertTrue(out.contains("CSV table, 3 rows, 2 numeric column(s), label column 'y'"), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("a\\s+1\\s+3\\s+2\\s+0\\s*")), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("b\\s+10\\s+30\\s+20\\s+1\\s*")), out);
        assertTrue(out.contains("text columns (not numeric; name them under categorical: or ignore:): name"), out);
        assertTrue(out.contains("classes (first appearance): 2\n  p: 1\n  q: 2"), out);
    }

    @Test
    void arraysAndImageFoldersAndIdx() throws IOException {
        Path npy = Path.of("../data/src/test/resources/npy/y_i8.npy").toAbsolutePath().normalize();
        CliRun array = CliRun.of("data", "inspect", npy.toString());
        assertEquals(0, array.exitCode(), array.err());
        assertTrue(array.out().contains("shape:  [6] <i8 (C order)"), array.out());
        assertTrue(array.out().contains("labels: 6\n    0: 2\n    1: 2\n    2: 2"), array.out());
        for (String cls : new String[] {"cat", "dog"}) {
            Path folder = Files.createDirectories(dir.resolve("img").resolve(cls));
            ImageIO.write(new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB), "png", folder.resolve("a.png").toFile());
            ImageIO.write(new BufferedImage(5, 5, BufferedImage.TYPE_BYTE_GRAY), "bmp", folder.resolve("b.bmp").toFile());
        }
        Files.writeString(dir.resolve("img/cat/readme.txt"), "notes");
        CliRun folder = CliRun.of("data", "inspect", dir.resolve("img").toString());
        assertEquals(0, folder.exitCode(), folder.err());
        assertTrue(folder.out().contains("image folder, 4 images in 2 classes"), folder.out());
        assertTrue(folder.out().contains("cat: 2 (1 non-image files skipped)"), folder.out());
        assertTrue(folder.out().contains("4x3: 2\n  5x5: 2"), folder.out());
        org.modelbench.data.IdxWriter.write(dir.resolve("labels.idx"), new int[] {3}, new byte[] {1, 0, 1});
        CliRun idx = CliRun.of("data", "inspect", dir.resolve("labels.idx").toString());
        assertTrue(idx.out().contains("labels: 3\n    0: 1\n    1: 2"), idx.out());
    }
}
