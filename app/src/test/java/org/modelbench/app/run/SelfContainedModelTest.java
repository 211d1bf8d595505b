package org.modelbench.app.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.app.CliRun;

/** A saved model folder carries everything predict needs: copied anywhere, it predicts the same. */
class SelfContainedModelTest {
    @TempDir
    static Path project;
    static Path bundle;
    static Path images;

    @BeforeAll
    static void runOnce() throws IOException {
        Path manifest = project.resolve("card.yaml");
        Files.writeString(manifest, """
                name: card
                description: A standardised softmax model, one seed.
                dataset:
                  id: mnist
                  trainSize: 600
                  testSize: 100
                  preprocessing: {rescale: 255, standardize: true}
                models:
                  - id: softmax-std
                    family: test-softmax
                    params: {epochs: 1, learningRate: 0.05}
                seeds: [1]
                outputs:
                  directory: runs
                  report: false
                """);
        CliRun run = CliRun.of("run", manifest.toString(), "--project-dir", project.toString());
        assertEquals(0, run.exitCode(), run.err() + run.out());
        try (Stream<Path> s = Files.list(project.resolve("runs/card"))) {
            bundle = s.findFirst().orElseThrow();
        }
        var test = new org.modelbench.data.MnistProvider().load(org.modelbench.data.DataCache.defaultDirectory(),
                s -> { }).test().slice(0, 50);
        byte[] pixels = new byte[50 * 784];
        float[] x = test.features().data();
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) Math.round(x[i]);
        }
        images = project.resolve("images-idx3-ubyte");
        org.modelbench.data.IdxWriter.write(images, new int[] {50, 28, 28}, pixels);
    }

    private static CliRun predict(Path model) {
        return CliRun.of("predict", "--model", model.toString(), "--input", images.toString(), "--limit", "50");
    }

    /** The predictions without the line naming the model folder. */
    private static String rows(CliRun r) {
        return r.out().lines().filter(l -> l.startsWith("row ")).reduce("", (a, b) -> a + b + "\n");
    }

    private static Path copyModel(String name) throws IOException {
        Path copy = project.resolve(name).resolve("model");
        EndToEndTest.copyTree(bundle.resolve("trials/softmax-std/seed-1/model"), copy);
        return copy;
    }

    @Test
    void aCopiedFolderPredictsTheSame() throws IOException {
        Path model = bundle.resolve("trials/softmax-std/seed-1/model");
        ModelCard card = Json.read(model.resolve(ModelCard.FILE_NAME), ModelCard.class);
        assertEquals("test-softmax", card.family().id());
        assertEquals("1.2.0", card.family().version());
        assertEquals(java.util.List.of(1, 28, 28), card.sampleShape());
        assertEquals(10, card.classNames().size());
        assertTrue(card.preprocessing().mean().get(0) > 0.05, "standardised: " + card.preprocessing());
        assertEquals(Json.read(model.resolveSibling(FittedPreprocessing.FILE_NAME), FittedPreprocessing.class),
                card.preprocessing());

        CliRun inBundle = predict(model);
        assertEquals(0, inBundle.exitCode(), inBundle.err());
        Path copy = copyModel("elsewhere");
        assertFalse(Files.exists(copy.resolveSibling(FittedPreprocessing.FILE_NAME)));
        CliRun copied = predict(copy);
        assertEquals(0, copied.exitCode(), copied.err());
        assertEquals(50, rows(inBundle).lines().count());
        assertEquals(rows(inBundle), rows(copied));
        assertTrue(copied.out().contains("mean [" + card.preprocessing().mean().get(0)), copied.out());
    }

    @Test
    void aMissingFamilyOrLayerIsOneLineNamingIt() throws IOException {
        Path copy = copyModel("missing-family");
        Path card = copy.resolve(ModelCard.FILE_NAME);
        Files.writeString(card, Files.readString(card).replace("\"id\" : \"test-softmax\"", "\"id\" : \"knn\""));
        CliRun r = predict(copy);
        assertEquals(2, r.exitCode(), r.out());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("needs model family 'knn' (version 1.2.0") && r.err().contains("not installed"),
                r.err());

        Path layered = copyModel("missing-layer");
        Path layeredCard = layered.resolve(ModelCard.FILE_NAME);
        Files.writeString(layeredCard, Files.readString(layeredCard).replace("\"layers\" : [ ]",
                "\"layers\" : [ {\"id\" : \"gelu\", \"version\" : \"0.3.0\", \"module\" : \"org.acme.gelu\", "
                        + "\"jar\" : \"gelu-0.3.0.jar\"} ]"));
        CliRun layer = predict(layered);
        assertEquals(2, layer.exitCode(), layer.out());
        assertTrue(layer.err().contains("needs layer type 'gelu' (version 0.3.0, from gelu-0.3.0.jar)"), layer.err());
    }

    @Test
    void anotherMajorVersionIsRefused() throws IOException {
        Path copy = copyModel("major");
        Path card = copy.resolve(ModelCard.FILE_NAME);
        Files.writeString(card, Files.readString(card).replace("\"version\" : \"1.2.0\"", "\"version\" : \"2.0.1\""));
        CliRun r = predict(copy);
        assertEquals(2, r.exitCode(), r.out());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("saved with model family 'test-softmax' version 2.0.1")
                && r.err().contains("version 1.2.0 is installed"), r.err());
        // a minor version difference is fine
        Files.writeString(card, Files.readString(card).replace("\"version\" : \"2.0.1\"", "\"version\" : \"1.0.0\""));
        assertEquals(0, predict(copy).exitCode());
    }

    @Test
    void aLinkLeavingTheFolderIsRefused() throws IOException {
        Path copy = copyModel("linked");
        Path header = copy.resolve(org.modelbench.api.SavedModelHeader.FILE_NAME);
        Path outside = Files.copy(header, project.resolve("outside.properties"));
        Files.delete(header);
        Files.createSymbolicLink(header, outside);
        CliRun r = predict(copy);
        assertEquals(2, r.exitCode(), r.out());
        assertTrue(r.err().contains("a symbolic link that leaves its folder"), r.err());
    }

    @Test
    void aCardThatDisagreesWithTheModelIsADataFormatError() throws IOException {
        Path copy = copyModel("lying");
        Path card = copy.resolve(ModelCard.FILE_NAME);
        Files.writeString(card, Files.readString(card).replace("\"sampleShape\" : [ 1, 28, 28 ]",
                "\"sampleShape\" : [ 3, 28, 28 ]"));
        CliRun r = predict(copy);
        assertEquals(2, r.exitCode(), r.out());
        assertTrue(r.err().contains(ModelCard.FILE_NAME) && r.err().contains("sampleShape [3, 28, 28]"), r.err());
    }
}
