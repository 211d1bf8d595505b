package org.modelbench.app.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.modelbench.api.DataFormatException;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.RecordBinder;
import org.modelbench.app.manifest.ExperimentPlan;
import org.modelbench.app.plugins.PluginRegistry;

/**
 * The trial list of a bundle, {@value #FILE_NAME}: written when the bundle is created, read by every
 * executor. Each trial has a stable id that is also its folder under {@code trials/}, and an index
 * (its position, from 0) for executors that number their tasks (a SLURM array).
 *
 * <p>The order is the manifest's: each model in turn, each seed in turn (each fold in turn with
 * {@code dataset.folds}). A trial lists in
 * {@code after} the trials it reads (a transfer attack's surrogate of the same seed); an executor runs
 * those first. Nothing else about a trial depends on which executor runs it, in what order, or what
 * runs beside it.
 *
 * @param format the file's format version, {@value #FORMAT}
 * @param trials every trial, index = position
 */
public record TrialPlan(int format, List<PlannedTrial> trials) {
    public static final String FILE_NAME = "plan.json";
    public static final int FORMAT = 1;

    public TrialPlan {
        if (format < 1) {
            throw new IllegalArgumentException("format: expected >= 1, got " + format);
        }
        trials = List.copyOf(trials);
        for (int i = 0; i < trials.size(); i++) {
            if (trials.get(i).index() != i) {
                throw new IllegalArgumentException("trials[" + i + "].index: expected " + i + ", got "
                        + trials.get(i).index());
            }
        }
    }

    /**
     * One trial: a model of the manifest trained with one seed (and, for cross-validation, on one
     * fold).
     *
     * @param index   the position in the plan, from 0
     * @param id      {@code [<dataset>/]<model>[/cand-<candidate>]/seed-<seed>[/fold-<fold>]}: stable, and the
     *                trial's folder under {@code trials/}; the dataset prefix only in suites ({@code datasets:}),
     *                so single-dataset bundles keep the ids they always had, {@code cand-} only for search candidates
     * @param dataset the dataset label
     * @param model   the model id of the manifest
     * @param family  the model's family id
     * @param params  the family config with every default filled in
     * @param seed    the trial's root seed
     * @param fold    the cross-validation fold, or {@code null} without cross-validation
     * @param after   ids of trials this one reads, which must finish first
     */
    public record PlannedTrial(int index, String id, String dataset, String model, String family,
                               Map<String, Object> params, long seed, Integer fold, List<String> after) {
        public PlannedTrial {
            Objects.requireNonNull(model, "model");
            if (index < 0) {
                throw new IllegalArgumentException("index: expected >= 0, got " + index);
            }
            if (fold != null && fold < 0) {
                throw new IllegalArgumentException("fold: expected >= 0, got " + fold);
            }
            Objects.requireNonNull(id, "id");
            String single = idOf(null, model, null, seed, fold);
            String inSuite = idOf(dataset, model, null, seed, fold);
            if (!id.equals(single) && !id.equals(inSuite)) {
                throw new IllegalArgumentException("id: expected " + single + " or " + inSuite + ", got " + id);
            }
            after = after == null ? List.of() : List.copyOf(after);
        }

        /** The id of trial ({@code model}, {@code seed}, {@code fold}) of a single-dataset manifest. */
        public static String idOf(String model, long seed, Integer fold) {
            return idOf(null, model, null, seed, fold);
        }

        /**
         * The id {@code [<dataset>/]<model>[/cand-<candidate>]/seed-<seed>[/fold-<fold>]}.
         *
         * @param dataset   the dataset label in a suite, {@code null} for a single-dataset manifest
         * @param candidate the search candidate, {@code null} outside a search
         * @param fold      the cross-validation fold, {@code null} without folds
         */
        public static String idOf(String dataset, String model, Integer candidate, long seed, Integer fold) {
            return (dataset == null ? "" : dataset + "/") + model + (candidate == null ? "" : "/cand-" + candidate)
                    + "/seed-" + seed + (fold == null ? "" : "/fold-" + fold);
        }

        /** Whether the id carries the dataset prefix (a trial of a suite). */
        public boolean inSuite() {
            return dataset != null && id.equals(idOf(dataset, model, null, seed, fold));
        }

        /** The id of model {@code otherModel}'s trial on the same data, seed and fold (a surrogate's). */
        public String idFor(String otherModel) {
            return idOf(inSuite() ? dataset : null, otherModel, null, seed, fold);
        }

        /** A label for progress lines, e.g. {@code mlp seed 2}. */
        public String label() {
            return (inSuite() ? dataset + " " : "") + model + " seed " + seed + (fold == null ? "" : " fold " + fold);
        }
    }

    /**
     * The plan of {@code plan}: every model x seed, in manifest order; each trial's params are its
     * family config as {@code resolved.json} has it.
     */
    public static TrialPlan of(ExperimentPlan plan, PluginRegistry registry) {
        String surrogate = plan.manifest().robustness() == null ? null : plan.manifest().robustness().surrogate();
        List<PlannedTrial> trials = new ArrayList<>();
        for (ExperimentPlan part : plan.perDataset()) {
            String dataset = part.datasetLabel();
            String prefix = plan.manifest().suite() ? dataset : null;
            List<Integer> folds = Bundle.folds(part.manifest().dataset().folds());
            for (ExperimentPlan.PlannedModel model : plan.models()) {
                Map<String, Object> params = params(model, registry);
                for (long seed : plan.manifest().seeds()) {
                    for (Integer fold : folds) {
                        String id = model.spec().id();
                        List<String> after = surrogate != null && !surrogate.equals(id)
                                && plan.models().stream().anyMatch(m -> m.spec().id().equals(surrogate))
                                ? List.of(PlannedTrial.idOf(prefix, surrogate, null, seed, fold)) : List.of();
                        trials.add(new PlannedTrial(trials.size(), PlannedTrial.idOf(prefix, id, null, seed, fold),
                                dataset, id, model.family().info().id(), params, seed, fold, after));
                    }
                }
            }
        }
        return new TrialPlan(FORMAT, trials);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> params(ExperimentPlan.PlannedModel model, PluginRegistry registry) {
        return (Map<String, Object>) LayerSpecDefaults.fill(RecordBinder.toTree(model.config()), registry);
    }

    /** The trial with {@code id}, or an error listing the ids. */
    public PlannedTrial byId(String id) {
        return trials.stream().filter(t -> t.id().equals(id)).findFirst().orElseThrow(() ->
                new InvalidInputException("--id: no trial '" + id + "' in this bundle; expected one of "
                        + String.join(", ", trials.stream().map(PlannedTrial::id).limit(20).toList())
                        + (trials.size() > 20 ? ", ..." : "")));
    }

    /** The trial at {@code index}, from 0. */
    public PlannedTrial byIndex(int index) {
        if (index < 0 || index >= trials.size()) {
            throw new InvalidInputException("--index: expected 0 to " + (trials.size() - 1) + ", got " + index);
        }
        return trials.get(index);
    }

    /** Writes this plan into {@code bundleFolder} atomically. */
    public void write(Path bundleFolder) {
        Json.write(bundleFolder.resolve(FILE_NAME), this);
    }

    /**
     * The plan of {@code bundle}: its {@value #FILE_NAME}, or, for bundles written before the file
     * existed, the plan derived from its manifest (the same function wrote the trials then).
     *
     * @throws DataFormatException when the file exists but does not match the manifest
     */
    public static TrialPlan of(Bundle bundle, ExperimentPlan plan, PluginRegistry registry) {
        TrialPlan derived = of(plan, registry);
        Path file = bundle.root().resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return derived;
        }
        TrialPlan recorded = Json.read(file, TrialPlan.class);
        if (!Json.reread(recorded).equals(Json.reread(derived))) {
            throw new DataFormatException(file, -1, "the trial list differs from the one the manifest gives ("
                    + Differences.first(Json.reread(recorded), Json.reread(derived)) + ")");
        }
        return recorded;
    }
}
