package org.modelbench.api;

import java.util.List;

/**
 * Classification metrics of a model on labelled rows.
 *
 * @param classNames  class names, index = class
 * @param samples     number of rows evaluated
 * @param accuracy    fraction of rows whose most probable class is the label
 * @param logLoss     mean negative log-probability of the label (probabilities clipped at 1e-15)
 * @param confusion   {@code confusion[label][predicted]} counts
 * @param precision   per class; NaN-free (0 when a class is never predicted)
 * @param recall      per class (0 when a class never occurs)
 * @param f1          per class harmonic mean of precision and recall (0 when both are 0)
 * @param predictions the predicted class of each row, in row order (for paired tests)
 */
public record Evaluation(List<String> classNames, int samples, double accuracy, double logLoss, long[][] confusion,
                         double[] precision, double[] recall, double[] f1, int[] predictions) {

    public Evaluation {
        classNames = List.copyOf(classNames);
    }

    /**
     * Computes every metric from labels and predicted probabilities.
     *
     * @param labels        one class index per row
     * @param probabilities {@code [N, K]} rows of class probabilities
     */
    public static Evaluation of(List<String> classNames, int[] labels, Tensor probabilities) {
        int k = classNames.size();
        int n = labels.length;
        if (probabilities.shape().rank() != 2 || probabilities.shape().dim(0) != n
                || probabilities.shape().dim(1) != k) {
            throw new IllegalArgumentException("expected probabilities of shape " + n + "x" + k + ", got "
                    + probabilities.shape());
        }
        float[] p = probabilities.data();
        long[][] confusion = new long[k][k];
        int[] predictions = probabilities.argmaxRows();
        double logLoss = 0;
        int correct = 0;
        for (int i = 0; i < n; i++) {
            int best = predictions[i];
            confusion[labels[i]][best]++;
            if (best == labels[i]) {
                correct++;
            }
            logLoss -= Math.log(Math.max(1e-15, p[i * k + labels[i]]));
        }
        double[] precision = new double[k];
        double[] recall = new double[k];
        double[] f1 = new double[k];
        for (int c = 0; c < k; c++) {
            long tp = confusion[c][c];
            long predicted = 0;
            long actual = 0;
            for (int j = 0; j < k; j++) {
                predicted += confusion[j][c];
                actual += confusion[c][j];
            }
            precision[c] = predicted == 0 ? 0 : (double) tp / predicted;
            recall[c] = actual == 0 ? 0 : (double) tp / actual;
            f1[c] = precision[c] + recall[c] == 0 ? 0 : 2 * precision[c] * recall[c] / (precision[c] + recall[c]);
        }
        return new Evaluation(classNames, n, n == 0 ? 0 : (double) correct / n, n == 0 ? 0 : logLoss / n,
                confusion, precision, recall, f1, predictions);
    }

    /** Evaluates {@code model} on {@code data} in batches of {@code batchSize}. */
    public static Evaluation of(Model model, Dataset data, int batchSize) {
        int n = data.size();
        int k = data.numClasses();
        float[] all = new float[n * k];
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            Tensor out = model.predictProbabilities(data.features().slice(from, to));
            System.arraycopy(out.data(), 0, all, from * k, (to - from) * k);
        }
        return of(data.classNames(), data.labels(), Tensor.of(Shape.of(n, k), all));
    }

    /** Unweighted mean of the per-class F1 scores. */
    public double macroF1() {
        double sum = 0;
        for (double v : f1) {
            sum += v;
        }
        return f1.length == 0 ? 0 : sum / f1.length;
    }
}
