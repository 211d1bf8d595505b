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
 * {@code dataset.folds}); a searched model's candidates of a seed (and fold) come just before the
 * trial that selects among them. A trial lists in
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
     * fold); for a model with a {@code search}, one candidate configuration scored on the validation
     * rows, or the trial that selects the best candidate of its seed (and fold), retrains it and tests it.
     *
     * @param index     the position in the plan, from 0
     * @param id        {@code [<dataset>/]<model>[/cand-<candidate>]/seed-<seed>[/fold-<fold>]} ({@link #idOf}):
     *                  stable, and the trial's folder under {@code trials/}; the dataset prefix only in suites
     *                  ({@code datasets:}), so single-dataset bundles keep the ids they always had, {@code cand-}
     *                  only for search candidates
     * @param dataset   the dataset label
     * @param model     the model id of the manifest
     * @param family    the model's family id
     * @param params    the family config with every default filled in; for a search's selecting trial
     *                  {@code null} (its configuration is the selected candidate's, known once its
     *                  {@code after} candidates have finished)
     * @param seed      the trial's root seed
     * @param fold      the cross-validation fold, or {@code null} without cross-validation
     * @param candidate the search candidate this trial scores, from 0, or {@code null} (a plain or selecting trial)
     * @param after     ids of trials this one reads, which must finish first
     */
    public record PlannedTrial(int index, String id, String dataset, String model, String family,
                               Map<String, Object> params, long seed, Integer fold,
                               @com.fasterxml.jackson.annotation.JsonInclude(
                                       com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) Integer candidate,
                               List<String> after) {
        public PlannedTrial {
            Objects.requireNonNull(model, "model");
            if (index < 0) {
                throw new IllegalArgumentException("index: expected >= 0, got " + index);
            }
            if (fold != null && fold < 0) {
                throw new IllegalArgumentException("fold: expected >= 0, got " + fold);
            }
            if (candidate != null && candidate < 0) {
                throw new IllegalArgumentException("candidate: expected >= 0, got " + candidate);
            }
            Objects.requireNonNull(id, "id");
            String single = idOf(null, model, candidate, seed, fold);
            String inSuite = idOf(dataset, model, candidate, seed, fold);
            if (!id.equals(single) && !id.equals(inSuite)) {
                throw new IllegalArgumentException("id: expected " + single + " or " + inSuite + ", got " + id);
            }
            after = after == null ? List.of() : List.copyOf(after);
        }

        /** A trial that is not a search candidate. */
        public PlannedTrial(int index, String id, String dataset, String model, String family,
                            Map<String, Object> params, long seed, Integer fold, List<String> after) {
            this(index, id, dataset, model, family, params, seed, fold, null, after);
        }

        /** The id of trial ({@code model}, {@code seed}, {@code fold}) of a single-dataset manifest. */
        public static String idOf(String model, long seed, Integer fold) {
            return idOf(null, model, null, seed, fold);
        }

        /**
         * The id {@code [<dataset>/]<model>[/cand-<candidate>]/seed-<seed>[/fold-<fold>]}.
         *
         * @param dataset   the dataset label in a suite, {@code null} for a single-dataset manifest
         * @param candidate the search candidate, {@code null} outside a search (and for a search's selecting trial)
         * @param fold      the cross-validation fold, {@code null} without folds
         */
        public static String idOf(String dataset, String model, Integer candidate, long seed, Integer fold) {
            return (dataset == null ? "" : dataset + "/") + model + (candidate == null ? "" : "/cand-" + candidate)
                    + "/seed-" + seed + (fold == null ? "" : "/fold-" + fold);
        }

        /** Whether the id carries the dataset prefix (a trial of a suite). */
        public boolean inSuite() {
            return dataset != null && id.equals(idOf(dataset, model, candidate, seed, fold));
        }

        /** The id of model {@code otherModel}'s trial on the same data, seed and fold (a surrogate's). */
        public String idFor(String otherModel) {
            return idOf(inSuite() ? dataset : null, otherModel, null, seed, fold);
        }

        /** The id of candidate {@code c} of this trial's model on the same data, seed and fold. */
        public String candidateId(int c) {
            return idOf(inSuite() ? dataset : null, model, c, seed, fold);
        }

        /** A label for progress lines, e.g. {@code mlp seed 2} or {@code mlp candidate 3 seed 2}. */
        public String label() {
            return (inSuite() ? dataset + " " : "") + model + (candidate == null ? "" : " candidate " + candidate)
                    + " seed " + seed + (fold == null ? "" : " fold " + fold);
        }
    }

    /**
     * The plan of {@code plan}: every model x seed (x fold), in manifest order; each trial's params are
     * its family config as {@code resolved.json} has it. A searched model has, per seed (and fold), its
     * candidates, then the trial that selects among them (listing them in {@code after}); each
     * candidate's config is bound once and shared by its trials of every seed.
     *
     * @throws InvalidInputException when a candidate's combination of values does not bind to the family's
     *                               config (each value on its own was checked when the manifest was read)
     */
    public static TrialPlan of(ExperimentPlan plan, PluginRegistry registry) {
        String surrogate = plan.manifest().robustness() == null ? null : plan.manifest().robustness().surrogate();
        boolean hasSurrogate = surrogate != null
                && plan.models().stream().anyMatch(m -> m.spec().id().equals(surrogate));
        List<PlannedTrial> trials = new ArrayList<>();
        for (ExperimentPlan part : plan.perDataset()) {
            String dataset = part.datasetLabel();
            String prefix = plan.manifest().suite() ? dataset : null;
            List<Integer> folds = Bundle.folds(part.manifest().dataset().folds());
            for (int m = 0; m < plan.models().size(); m++) {
                ExperimentPlan.PlannedModel model = plan.models().get(m);
                String id = model.spec().id();
                String family = model.family().info().id();
                List<Map<String, Object>> candidates = candidateParams(model, "models[" + m + "]", registry);
                Map<String, Object> params = model.search() == null ? params(model.config(), registry) : null;
                for (long seed : plan.manifest().seeds()) {
                    for (Integer fold : folds) {
                        List<String> after = new ArrayList<>();
                        for (int c = 0; c < candidates.size(); c++) {
                            String candidate = PlannedTrial.idOf(prefix, id, c, seed, fold);
                            trials.add(new PlannedTrial(trials.size(), candidate, dataset, id, family,
                                    candidates.get(c), seed, fold, c, List.of()));
                            after.add(candidate);
                        }
                        if (hasSurrogate && !surrogate.equals(id)) {
                            after.add(PlannedTrial.idOf(prefix, surrogate, null, seed, fold));
                        }
                        trials.add(new PlannedTrial(trials.size(), PlannedTrial.idOf(prefix, id, null, seed, fold),
                                dataset, id, family, params, seed, fold, null, after));
                    }
                }
            }
        }
        return new TrialPlan(FORMAT, trials);
    }

    /** Each candidate's params (bound and filled once), or none for a model without search. */
    private static List<Map<String, Object>> candidateParams(ExperimentPlan.PlannedModel model, String path,
                                                             PluginRegistry registry) {
        if (model.search() == null) {
            return List.of();
        }
        List<Map<String, Object>> out = new ArrayList<>(model.search().size());
        for (int c = 0; c < model.search().size(); c++) {
            out.add(params(candidateConfig(model, c, path), registry));
        }
        return out;
    }

    /**
     * The family config of candidate {@code c} of {@code model}'s search.
     *
     * @param path the model's key path for messages, e.g. {@code models[1]}
     * @throws InvalidInputException when the candidate's values do not bind together
     */
    public static Record candidateConfig(ExperimentPlan.PlannedModel model, int c, String path) {
        try {
            return RecordBinder.bind(model.search().candidate(c), model.family().provider().configType(),
                    path + ".params");
        } catch (org.modelbench.api.ConfigException e) {
            throw new InvalidInputException(e.key() + ": search candidate " + c + " " + model.search().values(c)
                    + " does not bind: " + e.expectation());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> params(Record config, PluginRegistry registry) {
        return (Map<String, Object>) LayerSpecDefaults.fill(RecordBinder.toTree(config), registry);
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
