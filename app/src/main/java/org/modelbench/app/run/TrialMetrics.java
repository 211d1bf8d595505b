package org.modelbench.app.run;

import java.util.List;
import java.util.Map;

/**
 * The results of one trial, {@code metrics.json}: written last, so its presence marks the trial finished.
 *
 * @param model                     the model id
 * @param family                    the family id
 * @param familyVersion             the family provider's version
 * @param seed                      the trial's root seed
 * @param threads                   the threads the trainer was given
 * @param trainSamples              training rows (after augmentation)
 * @param validationSamples         validation rows
 * @param testSamples               test rows
 * @param accuracy                  test accuracy
 * @param logLoss                   test log loss
 * @param macroF1                   unweighted mean of the per-class F1
 * @param classNames                class names, index = class
 * @param precision                 per-class test precision
 * @param recall                    per-class test recall
 * @param f1                        per-class test F1
 * @param confusion                 {@code confusion[label][predicted]} on the test rows
 * @param epochsRun                 epochs run
 * @param stopReason                why training ended
 * @param parameterCount            the model's parameter count
 * @param modelSha256               SHA-256 over the saved model folder ({@link DirectoryHash#sha256})
 * @param trainingSeconds           wall time of training (a timing: not compared by reproduce)
 * @param inferenceSamplesPerSecond test rows scored per second through the whole model (a timing: not compared by
 *                                  reproduce), or {@code null} when not measured: the model took some test rows'
 *                                  intermediate features from a cache (a transfer model's frozen base, on a
 *                                  later seed), so the pass timed cache lookups, not inference
 * @param robustness                accuracy under attack, or {@code null} when the manifest does not ask for it
 * @param files                     SHA-256 of every other file of the trial folder by relative path
 *                                  ({@code model/weights.safetensors}, {@code curve.json}, ...), so that
 *                                  {@code reproduce} can tell which file changed; {@code null} in bundles
 *                                  written before it was recorded
 * @param fold                      the cross-validation fold tested on, or {@code null} (and absent from the file) without
 *                                  {@code dataset.folds}
 * @param validationAccuracy        the trained model's accuracy on the validation rows, or {@code null} (absent)
 *                                  without a validation split (and in bundles written before it was recorded)
 * @param selectedCandidate         for a search's selecting trial, the candidate it selected and retrained
 *                                  (its {@code selection.json} has the details); else {@code null} (absent)
 */
public record TrialMetrics(String model, String family, String familyVersion, long seed, int threads,
                           int trainSamples, int validationSamples, int testSamples, double accuracy, double logLoss,
                           double macroF1, List<String> classNames, double[] precision, double[] recall, double[] f1,
                           long[][] confusion, int epochsRun, String stopReason, long parameterCount,
                           String modelSha256, double trainingSeconds, Double inferenceSamplesPerSecond,
                           RobustnessResult robustness, Map<String, String> files,
                           @com.fasterxml.jackson.annotation.JsonInclude(
                                   com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) Integer fold,
                           @com.fasterxml.jackson.annotation.JsonInclude(
                                   com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                           Double validationAccuracy,
                           @com.fasterxml.jackson.annotation.JsonInclude(
                                   com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                           Integer selectedCandidate) {

    public TrialMetrics {
        files = files == null ? null : Map.copyOf(files);
    }

    /** The value of a metric listed in {@link org.modelbench.app.manifest.Manifest#KNOWN_METRICS}. */
    public double metric(String name) {
        return switch (name) {
            case "accuracy" -> accuracy;
            case "logLoss" -> logLoss;
            case "macroF1" -> macroF1;
            case "trainingSeconds" -> trainingSeconds;
            case "inferenceSamplesPerSecond" -> inferenceSamplesPerSecond == null ? Double.NaN : inferenceSamplesPerSecond;
            case "parameterCount" -> parameterCount;
            case "robustness" -> robustness == null ? Double.NaN : robustness.score();
            default -> throw new IllegalArgumentException("unknown metric " + name);
        };
    }
}
