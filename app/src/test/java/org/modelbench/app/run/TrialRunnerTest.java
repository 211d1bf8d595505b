package org.modelbench.app.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.api.Model;
import org.modelbench.api.Trainer;
import org.modelbench.app.manifest.ExperimentPlan;
import org.modelbench.app.manifest.ManifestLoader;
import org.modelbench.app.plugins.PluginRegistry;
import org.modelbench.data.DataCache;

/** The steps of one trial, each on its own, and the trial folder written atomically. */
class TrialRunnerTest {
    @TempDir
    Path project;

    @Test
    void stepsTrainEvaluateAndSaveAndTheFolderAppearsComplete() throws IOException {
        PluginRegistry registry = PluginRegistry.load(Path.of("target", "no-plugins"), w -> { });
        ExperimentPlan plan = new ManifestLoader(registry).load("steps.yaml", """
                name: steps
                dataset: {id: mnist, trainSize: 500, testSize: 200, preprocessing: {rescale: 255}}
                models:
                  - id: softmax
                    family: test-softmax
                    params: {epochs: 2}
                seeds: [7]
                outputs: {directory: runs, report: false}
                """, project);
        StringWriter log = new StringWriter();
        Progress progress = new Progress(new PrintWriter(log, true), false);
        ExperimentData data = ExperimentData.load(plan, DataCache.defaultDirectory(), s -> { });
        ExperimentRunner runner = new ExperimentRunner(registry, DataCache.defaultDirectory(), progress, null);
        Bundle bundle = runner.plan(plan, DatasetCache.of(plan, DataCache.defaultDirectory(), s -> { }), project);
        TrialPlan trials = TrialPlan.of(bundle, plan, registry);
        TrialPlan.PlannedTrial trial = trials.byIndex(0);
        assertEquals("softmax/seed-7", trial.id());
        TrialRunner steps = new TrialRunner(registry, plan, data, bundle, progress);
        ExperimentPlan.PlannedModel model = plan.models().get(0);

        // train: a curve point per epoch, validation rows from the default split
        ExperimentData.TrialData prepared = data.forTrial(7, model.spec().effectivePreprocessing(
                plan.manifest().dataset()), false);
        Trainer trainer = TrialRunner.trainer(model, registry.context());
        Path scratch = Files.createDirectories(project.resolve("scratch"));
        TrialRunner.Trained trained = steps.train(trainer, model, trial, prepared, scratch.resolve("work"), "t");
        assertEquals(2, trained.curve().size());
        assertEquals(2, trained.epochsRun());
        assertFalse(Files.exists(scratch.resolve("work")), "the work folder is removed after training");
        // evaluate: the accuracy is the share of predictions that match the labels
        TrialRunner.Evaluated evaluated = TrialRunner.evaluate(trained.model(), prepared.test(), 64);
        int[] labels = prepared.test().labels();
        int[] predicted = evaluated.evaluation().predictions();
        int right = 0;
        for (int i = 0; i < labels.length; i++) {
            right += labels[i] == predicted[i] ? 1 : 0;
        }
        assertEquals((double) right / labels.length, evaluated.evaluation().accuracy(), 1e-12);
        assertTrue(evaluated.inferenceSamplesPerSecond() > 0);
        // a model that took test rows' features from a cache reports no inference rate (its pass timed lookups)
        assertEquals(null, TrialRunner.evaluate(new CachingModel(trained.model()), prepared.test(), 64)
                .inferenceSamplesPerSecond());
        // robustness: none asked for
        assertEquals(null, steps.robustness(model, trial, trained, prepared));
        // save: every file, the checksums over them, the model card
        TrialMetrics metrics = steps.save(model, trial, prepared, trained, evaluated, null, scratch);
        assertEquals(DirectoryHash.sha256(scratch.resolve(Bundle.MODEL)), metrics.modelSha256());
        Files.delete(scratch.resolve(Bundle.METRICS));
        assertEquals(DirectoryHash.fileHashes(scratch), metrics.files());
        assertTrue(metrics.files().containsKey("model/" + ModelCard.FILE_NAME), metrics.files().toString());

        // the whole trial: a stale staging folder of a killed run is removed; the folder appears complete
        Path folder = bundle.trial(trial);
        Path stale = Files.createDirectories(folder.resolveSibling(".seed-7.partial-123"));
        Files.writeString(stale.resolve("junk"), "from a killed run");
        TrialMetrics run = steps.run(trial, "[1/1] softmax seed 7");
        assertEquals(metrics.accuracy(), run.accuracy());
        assertEquals(metrics.modelSha256(), run.modelSha256());
        try (Stream<Path> siblings = Files.list(folder.getParent())) {
            assertEquals(java.util.List.of(folder), siblings.toList());
        }
        assertTrue(Files.isRegularFile(folder.resolve(Bundle.METRICS)));
        steps.run(trial, "[1/1] softmax seed 7");
        assertTrue(log.toString().contains("[1/1] softmax seed 7: already finished, kept"), log.toString());

        // once every trial has finished, the run's shared cache goes
        Path cached = Files.createDirectories(bundle.root().resolve(Bundle.CACHE).resolve("onnx-features").resolve("k"));
        Files.writeString(cached.resolve("row.row"), "a cached row");
        runner.finish(bundle, plan, trials, false);
        assertFalse(Files.exists(bundle.root().resolve(Bundle.CACHE)), "the shared cache is deleted");
        assertTrue(Files.isRegularFile(folder.resolve(Bundle.METRICS)), "the trials are kept");
    }

    /** {@code model}, as if each prediction read its rows' intermediate features from a cache. */
    private record CachingModel(Model model, long[] read) implements Model {
        CachingModel(Model model) {
            this(model, new long[1]);
        }

        @Override
        public String familyId() {
            return model.familyId();
        }

        @Override
        public org.modelbench.api.Shape sampleShape() {
            return model.sampleShape();
        }

        @Override
        public List<String> classNames() {
            return model.classNames();
        }

        @Override
        public org.modelbench.api.Tensor predictProbabilities(org.modelbench.api.Tensor batch) {
            read[0] += batch.shape().dims()[0];
            return model.predictProbabilities(batch);
        }

        @Override
        public long parameterCount() {
            return model.parameterCount();
        }

        @Override
        public long rowsFromCache() {
            return read[0];
        }

        @Override
        public org.modelbench.api.provenance.ModelProvenance provenance() {
            return model.provenance();
        }

        @Override
        public void save(Path directory) {
            model.save(directory);
        }
    }
}
