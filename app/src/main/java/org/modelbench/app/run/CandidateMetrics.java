package org.modelbench.app.run;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The result of one search candidate, its trial's {@code metrics.json} (written last, so its presence
 * marks the trial finished): the candidate's values and how it scored on the validation rows. A
 * candidate never sees test rows, so there is no test metric here.
 *
 * @param model              the model id
 * @param candidate          the candidate index, from 0
 * @param seed               the trial's root seed
 * @param fold               the cross-validation fold whose training rows it used, or {@code null}
 * @param values             the searched values, by key path inside {@code params}
 * @param trainSamples       training rows
 * @param validationSamples  validation rows it was scored on
 * @param validationAccuracy accuracy on the validation rows: what selection compares
 * @param validationLogLoss  log loss on the validation rows
 * @param epochsRun          epochs run
 * @param stopReason         why training ended
 * @param trainingSeconds    wall time of training (a timing)
 * @param files              SHA-256 of every other file of the trial folder
 */
public record CandidateMetrics(String model, int candidate, long seed,
                               @com.fasterxml.jackson.annotation.JsonInclude(
                                       com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) Integer fold,
                               Map<String, Object> values, int trainSamples, int validationSamples,
                               double validationAccuracy, double validationLogLoss, int epochsRun, String stopReason,
                               double trainingSeconds, Map<String, String> files) {
    public CandidateMetrics {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
        files = files == null ? null : Map.copyOf(files);
    }
}
