package org.modelbench.app.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.modelbench.app.CliRun;
import org.modelbench.data.IdxWriter;

/** Bad manifests: each gives one line naming file:line:column and key path, exit 2, and writes nothing. */
class BadManifestTest {
    static final String BASE = """
            name: bad-cases
            dataset:
              id: mnist
              trainSize: 500
              testSize: 200
            models:
              - id: softmax
                family: test-softmax
                params:
                  epochs: 1
            seeds: [1]
            """;

    /** A table (iris: 4 features, 3 classes) with a model that fits it. */
    static final String TABLE = """
            name: table-cases
            dataset:
              id: iris
            models:
              - id: linear
                family: logreg
                params: {epochs: 1}
            seeds: [1]
            """;

    /** A suite of two tables with a model that fits both. */
    static final String SUITE = """
            name: suite-cases
            datasets:
              - id: iris
              - id: wine
                folds: 3
            models:
              - id: linear
                family: logreg
                params: {epochs: 1}
            seeds: [1]
            """;

    @TempDir
    Path project;

    static Stream<Arguments> cases() {
        return Stream.of(
                bad("unknown top-level key", BASE.replace("name:", "nmae:"),
                        "bad.yaml:1:1 nmae: unknown key; expected one of name, description, dataset, datasets, models, seeds, metrics, outputs"),
                bad("wrong type for seeds", BASE.replace("seeds: [1]", "seeds: one"),
                        "bad.yaml:11:1 seeds: expected a list, got \"one\""),
                bad("seed not an integer", BASE.replace("seeds: [1]", "seeds: [1, many]"),
                        "bad.yaml:11:12 seeds[1]: expected an integer, got \"many\""),
                bad("missing data file", BASE.replace("  id: mnist\n", "  files:\n    trainImages: nope.idx\n"
                                + "    trainLabels: nope.idx\n    testImages: nope.idx\n    testLabels: nope.idx\n"),
                        "bad.yaml:4:5 dataset.files.trainImages: expected an existing IDX file, but "),
                bad("unknown family id", BASE.replace("family: test-softmax", "family: no-such-family"),
                        "bad.yaml:8:5 models[0].family: unknown model family 'no-such-family'; known: "),
                bad("negative epochs", BASE.replace("epochs: 1", "epochs: -3"),
                        "bad.yaml:10:7 models[0].params.epochs: expected an integer >= 1, got -3"),
                bad("empty seed list", BASE.replace("seeds: [1]", "seeds: []"),
                        "bad.yaml:11:1 seeds: expected a non-empty list of integer seeds, got an empty list"),
                bad("output escaping the project", BASE + "outputs:\n  directory: ../elsewhere\n",
                        "bad.yaml:13:3 outputs.directory: expected a folder inside the project, got \"../elsewhere\" which escapes it"),
                bad("absolute output path", BASE + "outputs:\n  directory: /tmp/runs\n",
                        "bad.yaml:13:3 outputs.directory: expected a relative folder inside the project"),
                bad("param of the wrong type", BASE.replace("epochs: 1", "epochs: 1\n      learningRate: fast"),
                        "bad.yaml:11:7 models[0].params.learningRate: expected a number, got \"fast\""),
                bad("unknown param key", BASE.replace("epochs: 1", "epochs: 1\n      trees: many"),
                        "bad.yaml:11:7 models[0].params.trees: unknown key; expected one of epochs, batchSize, learningRate, l2"),
                bad("duplicate model ids", BASE.replace("seeds:", "  - id: softmax\n    family: test-centroid\nseeds:"),
                        "bad.yaml:11:5 models[1].id: expected a unique model id, got \"softmax\" a second time"),
                bad("duplicate seeds", BASE.replace("seeds: [1]", "seeds: [1, 2, 1]"),
                        "bad.yaml:11:15 seeds[2]: expected unique seeds, got 1 twice"),
                bad("negative seed", BASE.replace("seeds: [1]", "seeds: [-1]"),
                        "bad.yaml:11:9 seeds[0]: expected an integer >= 0, got -1"),
                bad("unknown dataset id", BASE.replace("id: mnist", "id: cifar-11"),
                        "bad.yaml:3:3 dataset.id: unknown dataset 'cifar-11'; known: breast-cancer, csv, digits, "
                                + "fashion-mnist, image-folder, iris, mnist, npy, npz, wine"),
                bad("train subset larger than the split", BASE.replace("trainSize: 500", "trainSize: 70000"),
                        "bad.yaml:4:3 dataset.trainSize: expected at most 60000 (the train split's size), got 70000"),
                bad("validation split out of range", BASE.replace("testSize: 200", "testSize: 200\n  validationSplit: 0.9"),
                        "bad.yaml:6:3 dataset.validationSplit: expected a number in [0, 0.5], got 0.9"),
                bad("rescale zero", BASE.replace("testSize: 200", "testSize: 200\n  preprocessing: {rescale: 0}"),
                        "dataset.preprocessing.rescale: expected a number > 0, got 0.0"),
                bad("unknown metric", BASE + "metrics: [accuracy, auc]\n",
                        "bad.yaml:12:21 metrics[1]: expected one of accuracy, logLoss, macroF1"),
                bad("empty model list", BASE.replace("models:\n  - id: softmax\n    family: test-softmax\n    params:\n"
                                + "      epochs: 1\n", "models: []\n"),
                        "bad.yaml:6:1 models: expected a non-empty list of models, got an empty list"),
                bad("YAML syntax error", BASE.replace("seeds: [1]", "seeds: [1"),
                        "bad.yaml:11:10: cannot parse as YAML: "),
                bad("duplicate key", BASE.replace("  testSize: 200", "  testSize: 200\n  testSize: 300"),
                        "bad.yaml:6:3 dataset.testSize: duplicate key; each key may appear once per mapping"),
                bad("empty file", "", "bad.yaml:1:1: the file is empty; expected a mapping"),
                bad("name escaping as a folder", BASE.replace("name: bad-cases", "name: ../evil"),
                        "bad.yaml:1:1 name: expected a name of letters, digits"),
                bad("both dataset id and files", BASE.replace("  id: mnist\n", "  id: mnist\n  files: {trainImages: a, "
                        + "trainLabels: b, testImages: c, testLabels: d}\n"),
                        "bad.yaml:4:3 dataset.files: expected exactly one of 'id' (a dataset provider) or 'files' (IDX files), got both"),
                bad("unknown augmentation", BASE.replace("testSize: 200", "testSize: 200\n  preprocessing:\n"
                                + "    augmentation: {type: rotate}"),
                        "dataset.preprocessing.augmentation.type: expected one of none, random, shift, got \"rotate\""),
                bad("top level is a list", "- name: x\n", "bad.yaml:1:1: expected a mapping with keys name, dataset, models, seeds"),
                bad("zero threads", BASE.replace("epochs: 1", "epochs: 1\n    trainer: {threads: 0}"),
                        "bad.yaml:11:15 models[0].trainer.threads: expected an integer in [1, 1024], got 0"),
                bad("missing family", BASE.replace("    family: test-softmax\n", ""),
                        "bad.yaml:7:5 models[0].family: missing; expected a model family id"),
                bad("unknown layer type in a cnn", cnn("{type: conv2d, filters: 4, kernel: 3}", "{type: no-such-layer}"),
                        "bad.yaml:13:12 models[0].params.layers[1].type: layer type 'no-such-layer': unknown layer type; "
                                + "expected one of dense, conv2d"),
                bad("bad layer param in a cnn", cnn("{type: conv2d, filters: 0, kernel: 3}"),
                        "bad.yaml:12:26 models[0].params.layers[0].filters: layer type 'conv2d': expected an integer >= 1, got 0"),
                bad("kernel larger than its input", cnn("{type: conv2d, filters: 4, kernel: 3}",
                                "{type: maxpool2d, pool: 2}", "{type: conv2d, filters: 4, kernel: 15}"),
                        "bad.yaml:9:5 models[0].params: model cnn, layer 3 (conv2d): kernel 15x15 is larger than its "
                                + "13x13 input"),
                bad("outputs other than the classes", cnn("{type: flatten}", "{type: dense, units: 7, activation: softmax}"),
                        "bad.yaml:9:5 models[0].params: model cnn: the last layer outputs 7 values per sample, but the "
                                + "data has 10 classes"),
                bad("a preset too deep for the images", BASE.replace("family: test-softmax\n    params:\n      epochs: 1",
                                "family: vgg16"),
                        "models[0].params: model vgg16, layer 18 (maxpool2d): pool window 2x2 is larger than its 1x1 input"),
                bad("a sequence preset on images", BASE.replace("family: test-softmax", "family: cnn1d"),
                        "bad.yaml:9:5 models[0].params: model cnn1d needs sequence samples [channels, length], but the "
                                + "data's samples are 1x28x28 (an image: channels x height x width)"),
                bad("an image preset on a table", TABLE.replace("family: logreg", "family: seed-cnn"),
                        "bad.yaml:7:5 models[0].params: model seed-cnn needs image samples [channels, height, width], "
                                + "but the data's samples are 4 (a table row of 4 features); for tables use logreg, mlp "
                                + "or a tribuo family"),
                bad("a cnn of convolutions on a table", TABLE.replace("family: logreg\n    params: {epochs: 1}",
                                "family: cnn\n    params:\n      layers: [{type: conv2d, filters: 2, kernel: 3}, "
                                        + "{type: flatten}, {type: dense, units: 3}]"),
                        "bad.yaml:7:5 models[0].params: model cnn, layer 1 (conv2d): expected a channels x height x "
                                + "width input, got 4 (the data's samples are 4 (a table row of 4 features))"),
                bad("robustness on a table", TABLE + "metrics: [accuracy, robustness]\n",
                        "bad.yaml:9:1 metrics: the attacks perturb pixels (raw values / 255 in [0, 1]) and need image "
                                + "samples [channels, height, width]; the dataset's samples are 4; drop robustness for "
                                + "this dataset"),
                bad("both dataset and datasets", BASE + "datasets:\n  - id: iris\n",
                        "bad.yaml:12:1 datasets: expected either 'dataset' (one) or 'datasets' (a suite), got both"),
                bad("empty dataset list", SUITE.replace("datasets:\n  - id: iris\n  - id: wine\n    folds: 3\n",
                                "datasets: []\n"),
                        "bad.yaml:2:1 datasets: expected a non-empty list of datasets, got an empty list"),
                bad("duplicate dataset labels", SUITE.replace("  - id: wine\n", "  - id: iris\n"),
                        "datasets[1].label: expected a unique dataset label, got \"iris\" a second time (give each "
                                + "entry its own 'label')"),
                bad("duplicate explicit labels", SUITE.replace("  - id: iris\n", "  - id: iris\n    label: tables\n")
                                .replace("  - id: wine\n", "  - id: wine\n    label: tables\n"),
                        "datasets[1].label: expected a unique dataset label, got \"tables\" a second time"),
                bad("label not folder-safe", SUITE.replace("  - id: iris\n", "  - id: iris\n    label: ../up\n"),
                        "bad.yaml:4:5 datasets[0].label: expected a name of letters, digits"),
                bad("unknown dataset in a suite", SUITE.replace("id: wine", "id: cifar-11"),
                        "bad.yaml:4:5 datasets[1].id: unknown dataset 'cifar-11'; known: "),
                bad("too many folds in a suite", SUITE.replace("folds: 3", "folds: 500"),
                        "bad.yaml:5:5 datasets[1].folds: expected at most 178 folds (one row each), got 500"),
                bad("a model that cannot take one dataset of a suite", SUITE.replace("datasets:\n  - id: iris\n",
                                "datasets:\n  - id: mnist\n    trainSize: 500\n    testSize: 200\n")
                                .replace("family: logreg\n    params: {epochs: 1}", "family: seed-cnn"),
                        "bad.yaml:9:5 models[0].params: model 'linear' cannot take dataset 'wine' (samples 13, 3 "
                                + "classes): model seed-cnn needs image samples [channels, height, width], but the data's "
                                + "samples are 13 (a table row of 13 features)"),
                bad("missing dataset", BASE.replace("dataset:\n  id: mnist\n  trainSize: 500\n  testSize: 200\n", ""),
                        "bad.yaml:1:1 dataset: missing; expected a mapping with an 'id' or 'files'"),
                bad("search: unknown strategy", search("{strategy: bayes}", "learningRate: {grid: [0.1, 0.5]}"),
                        "bad.yaml:10:14 models[0].search.strategy: expected one of grid, random, got \"bayes\""),
                bad("search: uniform in a grid", search("{strategy: grid}", "learningRate: {uniform: [0.01, 0.5]}"),
                        "bad.yaml:12:7 models[0].params.learningRate: uniform draws at random; expected grid or choice "
                                + "values with search.strategy grid (or strategy random)"),
                bad("search: random without trials", search("{strategy: random}", "learningRate: {uniform: [0.01, 0.5]}"),
                        "models[0].search.trials: missing; expected the number of random candidates (an integer >= 1)"),
                bad("search: empty grid", search("{strategy: grid}", "learningRate: {grid: []}"),
                        "bad.yaml:12:22 models[0].params.learningRate.grid: expected a non-empty list of values, got an "
                                + "empty list"),
                bad("search: bounds reversed", search("{strategy: random, trials: 4}", "learningRate: {loguniform: [0.5, 0.001]}"),
                        "models[0].params.learningRate.loguniform: expected [a, b] with a < b, got [0.5, 0.001]"),
                bad("search: log scale from 0 in a nested key", TABLE.replace("family: logreg\n    params: {epochs: 1}",
                                "family: logreg\n    search: {strategy: random, trials: 3}\n    params:\n"
                                        + "      optimizer: {type: adam, learningRate: {loguniform: [0, 0.1]}}")
                                .replace("  id: iris\n", "  id: iris\n  validationSplit: 0.2\n"),
                        "models[0].params.optimizer.learningRate.loguniform: expected bounds > 0 for a log scale, got [0, 0.1]"),
                bad("search: an option the family refuses", search("{strategy: grid}", "epochs: {grid: [1, 0]}"),
                        "models[0].params.epochs: expected an integer >= 1, got 0"),
                bad("search: a searched value without search", BASE.replace("epochs: 1", "epochs: {grid: [1, 2]}"),
                        "bad.yaml:10:7 models[0].params.epochs: a searched value needs search: {strategy: grid|random} "
                                + "on the model entry; expected a plain value without one"),
                bad("search: no validation split", search("{strategy: grid}", "epochs: {grid: [1, 2]}")
                                .replace("  validationSplit: 0.1\n", ""),
                        "models[0].search: candidates are selected on the validation rows; expected "
                                + "dataset.validationSplit > 0 (e.g. 0.1)"),
                bad("search: nothing to search", search("{strategy: grid}", "epochs: 2"),
                        "models[0].search: no key of params to search; expected at least one value written as "
                                + "{grid: [..]}, {choice: [..]}, {uniform: [a, b]} or {loguniform: [a, b]}"));
    }

    /** BASE with a validation split and a search over {@code params} of its model. */
    private static String search(String spec, String params) {
        return BASE.replace("  testSize: 200\n", "  testSize: 200\n  validationSplit: 0.1\n")
                .replace("family: test-softmax\n    params:\n      epochs: 1\n",
                        "family: test-softmax\n    search: " + spec + "\n    params:\n      " + params + "\n");
    }

    /** BASE with a {@code cnn} model of these layer specs (after a flatten when the last is dense). */
    private static String cnn(String... layers) {
        StringBuilder specs = new StringBuilder();
        for (String l : layers) {
            specs.append("        - ").append(l).append('\n');
        }
        if (layers[layers.length - 1].contains("conv2d")) {
            specs.append("        - {type: flatten}\n        - {type: dense, units: 10, activation: softmax}\n");
        }
        return BASE.replace("family: test-softmax\n    params:\n      epochs: 1\n",
                "family: cnn\n    params:\n      epochs: 1\n      layers:\n" + specs);
    }

    private static Arguments bad(String name, String yaml, String expected) {
        return Arguments.of(name, yaml, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void oneLineErrorExitTwoNothingWritten(String name, String yaml, String expected) throws IOException {
        Path manifest = project.resolve("bad.yaml");
        Files.writeString(manifest, yaml);
        CliRun run = CliRun.of("run", manifest.toString(), "--project-dir", project.toString());
        assertEquals(2, run.exitCode(), name + ": " + run.err());
        String err = run.err().strip();
        assertEquals(1, err.lines().count(), name + ": expected one line, got\n" + err);
        assertTrue(err.startsWith("modelbench: error: "), err);
        assertTrue(err.contains(expected), name + ": expected [" + expected + "] in\n" + err);
        assertEquals("", run.out(), "no output for a bad manifest");
        try (Stream<Path> files = Files.list(project)) {
            assertEquals(1, files.count(), "only the manifest: nothing written");
        }
    }

    @Test
    void layerShapesAreCheckedAgainstTheIdxHeaderToo() throws IOException {
        IdxWriter.write(project.resolve("images.idx"), new int[] {4, 5, 5}, new byte[4 * 25]);
        IdxWriter.write(project.resolve("labels.idx"), new int[] {4}, new byte[] {0, 1, 0, 1});
        Path manifest = project.resolve("small.yaml");
        Files.writeString(manifest, """
                name: small
                dataset:
                  files: {trainImages: images.idx, trainLabels: labels.idx, testImages: images.idx,
                          testLabels: labels.idx, classNames: [a, b]}
                models:
                  - id: too-wide
                    family: cnn
                    params:
                      layers: [{type: conv2d, filters: 2, kernel: 7}, {type: flatten}, {type: dense, units: 2}]
                seeds: [1]
                """);
        CliRun run = CliRun.of("run", manifest.toString(), "--project-dir", project.toString());
        assertEquals(2, run.exitCode(), run.err());
        assertEquals("modelbench: error: small.yaml:8:5 models[0].params: model cnn, layer 1 (conv2d): kernel 7x7 is "
                + "larger than its 5x5 input", run.err().strip());
        try (Stream<Path> files = Files.list(project)) {
            assertEquals(3, files.count(), "only the manifest and its data: nothing written");
        }
    }

    @Test
    void jsonManifestsGetLocationsToo() throws IOException {
        Path manifest = project.resolve("bad.json");
        Files.writeString(manifest, """
                {"name": "j", "dataset": {"id": "mnist"},
                 "models": [{"id": "a", "family": "test-softmax", "params": {"epochs": "many"}}],
                 "seeds": [1]}
                """);
        CliRun run = CliRun.of("run", manifest.toString(), "--project-dir", project.toString());
        assertEquals(2, run.exitCode());
        assertEquals("modelbench: error: bad.json:2:62 models[0].params.epochs: expected an integer, got \"many\"",
                run.err().strip());
    }

    @Test
    void baseManifestIsValid() throws IOException {
        Path manifest = project.resolve("good.yaml");
        Files.writeString(manifest, BASE);
        CliRun run = CliRun.of("run", "--check", manifest.toString(), "--project-dir", project.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("OK: 1 model(s) x 1 seed(s) = 1 trials on mnist"), run.out());
        assertFalse(Files.exists(project.resolve("runs")));
    }
}
