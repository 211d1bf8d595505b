package org.modelbench.app.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.modelbench.api.ModelbenchException;
import org.modelbench.app.manifest.ExperimentPlan;

/**
 * Which candidate of a search a selecting trial chose, {@value #FILE_NAME} in its folder: the one with
 * the highest validation accuracy among its seed's (and fold's) candidates, ties going to the lowest
 * candidate index. Only the candidates' {@code metrics.json} are read, which hold validation metrics
 * alone.
 *
 * @param candidate          the selected candidate
 * @param values             its searched values, by key path inside {@code params}
 * @param validationAccuracy its validation accuracy
 * @param candidates         every candidate's validation accuracy, by index
 */
public record Selection(int candidate, Map<String, Object> values, double validationAccuracy,
                        List<Scored> candidates) {
    public static final String FILE_NAME = "selection.json";

    /**
     * One candidate's score.
     *
     * @param candidate          its index
     * @param validationAccuracy its validation accuracy
     */
    public record Scored(int candidate, double validationAccuracy) {
    }

    public Selection {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
        candidates = List.copyOf(candidates);
    }

    /** The best of {@code scored} (in candidate order): highest validation accuracy, lowest index on ties. */
    public static Selection best(List<CandidateMetrics> scored) {
        if (scored.isEmpty()) {
            throw new IllegalArgumentException("no candidates to select from");
        }
        CandidateMetrics best = scored.get(0);
        List<Scored> all = new ArrayList<>();
        for (CandidateMetrics c : scored) {
            all.add(new Scored(c.candidate(), c.validationAccuracy()));
            if (c.validationAccuracy() > best.validationAccuracy()) {
                best = c;
            }
        }
        return new Selection(best.candidate(), best.values(), best.validationAccuracy(), all);
    }

    /** The candidates' results of selecting trial {@code trial}'s seed (and fold), read from their finished trials. */
    static List<CandidateMetrics> candidates(Bundle bundle, ExperimentPlan.PlannedModel model,
                                             TrialPlan.PlannedTrial trial) {
        List<CandidateMetrics> out = new ArrayList<>(model.search().size());
        for (int c = 0; c < model.search().size(); c++) {
            Path metrics = bundle.root().resolve("trials").resolve(trial.candidateId(c)).resolve(Bundle.METRICS);
            if (!Files.isRegularFile(metrics)) {
                throw new ModelbenchException(trial.label() + ": search candidate " + c
                        + " has not finished; expected every candidate finished first");
            }
            out.add(Json.read(metrics, CandidateMetrics.class));
        }
        return out;
    }

    /** The selection of selecting trial {@code trial}, from its candidates' results. */
    static Selection of(Bundle bundle, ExperimentPlan.PlannedModel model, TrialPlan.PlannedTrial trial) {
        return best(candidates(bundle, model, trial));
    }
}
