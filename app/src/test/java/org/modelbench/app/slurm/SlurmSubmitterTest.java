package org.modelbench.app.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.api.InvalidInputException;
import org.modelbench.app.manifest.ExperimentPlan;
import org.modelbench.app.manifest.ManifestLoader;
import org.modelbench.app.plugins.PluginRegistry;
import org.modelbench.app.run.Bundle;
import org.modelbench.app.run.TrialPlan;

/**
 * The SLURM executor without a cluster: the scripts it writes (resources, array indices, logs, the
 * launcher call), the order and dependencies of its submissions, and which trials a resume
 * resubmits, against a recording {@link SlurmClient}.
 */
class SlurmSubmitterTest {
    /** Two models x three seeds; the centroid reads the softmax trial of its seed (like a transfer attack). */
    private static final String MANIFEST = """
            name: tiny-slurm
            dataset: {id: mnist, trainSize: 200, testSize: 100}
            models:
              - id: softmax
                family: test-softmax
                params: {epochs: 1}
                trainer: {threads: 3}
              - id: centroid
                family: test-centroid
                trainer: {threads: 1}
            seeds: [1, 2, 3]
            executor:
              type: slurm
              slurm: {partition: batch, time: "1:00:00", memory: 3g, modelMemory: {centroid: 1500m}}
            """;

    @TempDir
    Path tmp;

    private ExperimentPlan plan;
    private TrialPlan trials;
    private Bundle bundle;
    private Path launcher;
    private final Fake slurm = new Fake();

    /** Records submissions, hands out job ids 100, 101, ...; its queue and accounting are set by the test. */
    static final class Fake implements SlurmClient {
        final List<List<String>> submitted = new ArrayList<>();
        final Map<String, String> queue = new LinkedHashMap<>();
        final Map<String, String> accounting = new LinkedHashMap<>();
        String refuse;
        int next = 100;
        /** Runs before each answer of {@link #queue()}: the test's cluster moving on. */
        Runnable onQueue = () -> { };

        @Override
        public String submit(Path script, List<String> options) {
            if (refuse != null) {
                throw new InvalidInputException("--executor slurm: sbatch refused " + script + ": " + refuse);
            }
            List<String> call = new ArrayList<>(options);
            call.add(script.toString());
            submitted.add(call);
            return Integer.toString(next++);
        }

        @Override
        public Optional<Map<String, String>> queue() {
            onQueue.run();
            return Optional.of(queue);
        }

        @Override
        public Optional<Map<String, String>> accounting(List<String> jobIds) {
            return Optional.of(accounting);
        }
    }

    @BeforeEach
    void plan() throws IOException {
        PluginRegistry registry = PluginRegistry.load(tmp.resolve("no-plugins"), w -> { });
        plan = new ManifestLoader(registry).load("tiny-slurm.yaml", MANIFEST, tmp);
        TrialPlan derived = TrialPlan.of(plan, registry);
        List<TrialPlan.PlannedTrial> withAfter = derived.trials().stream().map(t -> t.model().equals("centroid")
                ? new TrialPlan.PlannedTrial(t.index(), t.id(), t.dataset(), t.model(), t.family(), t.params(), t.seed(),
                t.fold(), List.of(derived.trials().stream().filter(s -> s.model().equals("softmax")
                        && s.seed() == t.seed()).findFirst().orElseThrow().id()))
                : t).toList();
        trials = new TrialPlan(TrialPlan.FORMAT, withAfter);
        bundle = new Bundle(Files.createDirectories(tmp.resolve("runs/tiny-slurm/20261201-000000")));
        launcher = tmp.resolve("modelbench");
    }

    private SlurmSubmitter submitter(String partition, String memory) {
        return new SlurmSubmitter(slurm, new SlurmSubmitter.Settings(launcher, List.of("--data-dir", "/data dir"),
                partition, null, null, memory), line -> { });
    }

    private static Set<Integer> indices(int... values) {
        Set<Integer> out = new LinkedHashSet<>();
        for (int v : values) {
            out.add(v);
        }
        return out;
    }

    @Test
    void everyTrialIsOneArrayTaskWithItsModelsThreadsAndMemory() throws IOException {
        assertEquals(List.of("softmax/seed-1", "softmax/seed-2", "softmax/seed-3", "centroid/seed-1",
                "centroid/seed-2", "centroid/seed-3"), trials.trials().stream().map(TrialPlan.PlannedTrial::id).toList());
        SlurmJobs jobs = submitter(null, null).submit(bundle, plan, trials, indices(0, 1, 2, 3, 4, 5), Map.of());

        String softmax = Files.readString(bundle.root().resolve("slurm/round-1/trials-1.sbatch"));
        assertTrue(softmax.startsWith("#!/bin/bash\n"), softmax);
        assertTrue(softmax.contains("\n#SBATCH --array=0-2\n"), softmax);
        assertTrue(softmax.contains("\n#SBATCH --cpus-per-task=3\n"), softmax);
        assertTrue(softmax.contains("\n#SBATCH --mem=3072M\n"), softmax);
        assertTrue(softmax.contains("\n#SBATCH --partition=batch\n"), softmax);
        assertTrue(softmax.contains("\n#SBATCH --time=1:00:00\n"), softmax);
        assertFalse(softmax.contains("--account"), softmax);
        assertTrue(softmax.contains("\n#SBATCH --job-name=mb-tiny-slurm\n"), softmax);
        assertTrue(softmax.contains("\n#SBATCH --output=" + bundle.root() + "/slurm/logs/trial-%a-job-%A.out\n"), softmax);
        assertTrue(softmax.contains("\nexport MODELBENCH_NO_BUILD=1\n"), softmax);
        assertTrue(softmax.contains("\nexport MODELBENCH_JAVA_OPTS=\"-Xmx2304m ${MODELBENCH_JAVA_OPTS:-}\"\n"), softmax);
        assertTrue(softmax.endsWith("\nexec " + launcher + " --data-dir '/data dir' trial " + bundle.root()
                + " --index \"$SLURM_ARRAY_TASK_ID\"\n"), softmax);

        String centroid = Files.readString(bundle.root().resolve("slurm/round-1/trials-2.sbatch"));
        assertTrue(centroid.contains("\n#SBATCH --array=3-5\n"), centroid);
        assertTrue(centroid.contains("\n#SBATCH --cpus-per-task=1\n"), centroid);
        assertTrue(centroid.contains("\n#SBATCH --mem=1500M\n"), centroid);

        String report = Files.readString(bundle.root().resolve("slurm/round-1/report.sbatch"));
        assertTrue(report.contains("\nexec " + launcher + " --data-dir '/data dir' report " + bundle.root() + "\n"), report);

        // the centroid array waits for the softmax tasks of its seeds, the report for both arrays
        assertEquals(List.of(List.of(bundle.root().resolve("slurm/round-1/trials-1.sbatch").toString()),
                List.of("--dependency=afterok:100_0:100_1:100_2", "--kill-on-invalid-dep=yes",
                        bundle.root().resolve("slurm/round-1/trials-2.sbatch").toString()),
                List.of("--dependency=afterany:100:101", bundle.root().resolve("slurm/round-1/report.sbatch").toString())),
                slurm.submitted);
        assertEquals(jobs, SlurmJobs.read(bundle.root()));
        assertEquals(List.of("100", "101", "102"), jobs.jobs().stream().map(SlurmJobs.Job::jobId).toList());
        assertEquals(List.of(3, 4, 5), jobs.jobs().get(1).indices());
        assertEquals(SlurmJobs.Kind.REPORT, jobs.jobs().get(2).kind());
    }

    @Test
    void commandLineSettingsReplaceTheManifests() throws IOException {
        submitter("gpu", "6g").submit(bundle, plan, trials, indices(0, 3), Map.of());
        String script = Files.readString(bundle.root().resolve("slurm/round-1/trials-1.sbatch"));
        assertTrue(script.contains("\n#SBATCH --partition=gpu\n"), script);
        assertTrue(script.contains("\n#SBATCH --mem=6144M\n"), script);
        String second = Files.readString(bundle.root().resolve("slurm/round-1/trials-2.sbatch"));
        assertTrue(second.contains("\n#SBATCH --mem=6144M\n"), "--mem replaces modelMemory too: " + second);
    }

    @Test
    void resumeResubmitsOnlyFailedAndMissingTrialsAndWaitsForRunningOnes() throws IOException {
        submitter(null, null).submit(bundle, plan, trials, indices(0, 1, 2, 3), Map.of());
        // softmax seed 1 done; seed 2 still running; seed 3 cancelled; centroid seed 1 failed, seeds 2, 3 never submitted
        writeMetrics(trials.trials().get(0));
        slurm.queue.put("100_1", "RUNNING");
        slurm.accounting.put("100_2", "CANCELLED");
        slurm.accounting.put("101_3", "FAILED");
        TrialStates states = TrialStates.of(bundle, trials, slurm);
        assertEquals(List.of(TrialStates.State.DONE, TrialStates.State.RUNNING, TrialStates.State.FAILED,
                TrialStates.State.FAILED, TrialStates.State.MISSING, TrialStates.State.MISSING),
                states.trials().stream().map(TrialStates.Entry::state).toList());
        assertEquals("CANCELLED", states.trials().get(2).detail());
        assertEquals("slurm/logs/trial-3-job-101.out", states.trials().get(3).log());
        assertEquals("6 trials: 1 done, 1 running, 2 failed, 2 missing", states.summary());
        assertTrue(states.active());

        Set<Integer> selected = new LinkedHashSet<>(states.indices(TrialStates.State.FAILED));
        selected.addAll(states.indices(TrialStates.State.MISSING));
        slurm.submitted.clear();
        SlurmJobs jobs = submitter(null, null).submit(bundle, plan, trials, selected, Map.of(1, "100_1"));
        assertTrue(Files.readString(bundle.root().resolve("slurm/round-2/trials-1.sbatch")).contains("\n#SBATCH --array=2\n"));
        assertTrue(Files.readString(bundle.root().resolve("slurm/round-2/trials-2.sbatch")).contains("\n#SBATCH --array=3,4\n"));
        assertTrue(Files.readString(bundle.root().resolve("slurm/round-2/trials-3.sbatch")).contains("\n#SBATCH --array=5\n"));
        // centroid seed 1 reads a finished trial (no wait), seed 2 the running task 100_1, seed 3 the new 103_2
        assertEquals(List.of(bundle.root().resolve("slurm/round-2/trials-1.sbatch").toString()), slurm.submitted.get(0));
        assertEquals("--dependency=afterok:100_1", slurm.submitted.get(1).get(0));
        assertEquals("--dependency=afterok:103_2", slurm.submitted.get(2).get(0));
        assertEquals("--dependency=afterany:100:103:104:105", slurm.submitted.get(3).get(0));
        assertEquals(7, jobs.jobs().size());
        assertEquals("104_3", jobs.latestFor(3).task(3));
        assertEquals("105_5", jobs.latestFor(5).task(5));
    }

    @Test
    void waitFollowsTheQueueUntilItIsEmptyThenNamesTheTrialsThatDidNotFinish() {
        submitter(null, null).submit(bundle, plan, trials, indices(0, 1, 2, 3, 4, 5), Map.of());
        List<String> lines = new ArrayList<>();
        int[] polls = {0};
        slurm.onQueue = () -> {
            slurm.queue.clear();
            switch (polls[0]++) {
                case 0 -> {
                    slurm.queue.put("100_0", "RUNNING");
                    List.of("100_1", "100_2", "101_3", "101_4", "101_5", "102").forEach(t -> slurm.queue.put(t, "PENDING"));
                }
                case 1 -> {
                    write(0);
                    slurm.queue.put("100_1", "RUNNING");
                    List.of("100_2", "101_3", "101_4", "101_5", "102").forEach(t -> slurm.queue.put(t, "PENDING"));
                }
                default -> List.of(1, 2, 3, 5).forEach(this::write); // 4 ended without metrics.json
            }
        };
        org.modelbench.api.ModelbenchException e = assertThrows(org.modelbench.api.ModelbenchException.class,
                () -> new SlurmFollower(slurm, lines::add, java.time.Duration.ofMillis(1)).follow(bundle, trials));
        assertEquals("slurm: 0/6 done, 1 running, 5 pending", lines.get(0));
        assertTrue(lines.get(1).startsWith("slurm: 1/6 done, 1 running, 4 pending; "), lines.get(1));
        assertTrue(lines.get(1).contains(" trials/min, ETA "), lines.get(1));
        assertTrue(lines.get(2).startsWith("slurm: 5/6 done, 1 failed; "), lines.get(2));
        assertEquals(3, lines.size(), lines.toString());
        assertEquals("1 of 6 trials did not finish: centroid/seed-2 (index 4, failed, log slurm/logs/trial-4-job-101.out); "
                + "'modelbench run --resume " + bundle.root() + " --executor slurm' resubmits them", e.getMessage());
    }

    @Test
    void arraySpecsJoinRunsOfIndices() {
        TaskResources r = new TaskResources(1, 1024, null, null, null);
        assertEquals("0-3,5,7,8,10-12", new ArrayGroup(0, r, List.of(0, 1, 2, 3, 5, 7, 8, 10, 11, 12)).arraySpec());
        assertEquals("3,5,7", new ArrayGroup(0, r, List.of(3, 5, 7)).arraySpec());
        assertEquals("9", new ArrayGroup(0, r, List.of(9)).arraySpec());
        assertEquals(List.of(new ArrayGroup(0, new TaskResources(3, 3072, "batch", null, "1:00:00"), List.of(1)),
                        new ArrayGroup(0, new TaskResources(1, 1500, "batch", null, "1:00:00"), List.of(5))),
                ArrayGroup.of(trials, indices(5, 1), t -> submitter(null, null).resources(plan, t)));
    }

    @Test
    void aRefusedSubmissionIsOneLineAndRecordsNothing() {
        slurm.refuse = "sbatch: error: invalid partition specified: nosuch";
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> submitter("nosuch", null).submit(bundle, plan, trials, indices(0), Map.of()));
        assertTrue(e.getMessage().endsWith("sbatch: error: invalid partition specified: nosuch"), e.getMessage());
        assertTrue(SlurmJobs.read(bundle.root()).jobs().isEmpty());
        assertNull(SlurmJobs.read(bundle.root()).latestReport());
    }

    @Test
    void squeueAndSacctLinesParse() {
        assertEquals(Map.of("123_4", "RUNNING", "123_5", "PENDING", "124", "CANCELLED"),
                CommandLineSlurm.states("123_4|RUNNING\n123_5|PENDING\n\n124|CANCELLED by 0\n"));
    }

    private void write(int index) {
        try {
            writeMetrics(trials.trials().get(index));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void writeMetrics(TrialPlan.PlannedTrial trial) throws IOException {
        Files.createDirectories(bundle.trial(trial));
        Files.writeString(bundle.trial(trial).resolve(Bundle.METRICS), "{}");
    }
}
