package org.modelbench.engine.internal;

/**
 * Batch-mean losses of class labels; each writes the gradient of the mean loss with respect to its
 * input into {@code grad} and returns the mean loss. Rows are {@code k} wide.
 */
public final class Losses {
    private Losses() {
    }

    /** Softmax cross-entropy from logits, with log-sum-exp; the gradient is {@code (softmax - onehot) / n}. */
    public static double crossEntropyFromLogits(float[] logits, int[] labels, int k, float[] grad) {
        int n = labels.length;
        double total = 0;
        for (int i = 0; i < n; i++) {
            int o = i * k;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                max = Math.max(max, logits[o + j]);
            }
            double sum = 0;
            for (int j = 0; j < k; j++) {
                sum += Math.exp(logits[o + j] - max);
            }
            double logSum = Math.log(sum) + max;
            total += logSum - logits[o + labels[i]];
            for (int j = 0; j < k; j++) {
                double p = Math.exp(logits[o + j] - logSum);
                grad[o + j] = (float) ((p - (j == labels[i] ? 1 : 0)) / n);
            }
        }
        return total / n;
    }

    /** Mean squared error against one-hot targets, averaged over rows and classes. */
    public static double mse(float[] y, int[] labels, int k, float[] grad) {
        int n = labels.length;
        double total = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                float d = y[i * k + j] - (j == labels[i] ? 1f : 0f);
                total += (double) d * d;
                grad[i * k + j] = 2f * d / (n * k);
            }
        }
        return total / ((double) n * k);
    }

    /** How many rows have their largest value at the label. */
    public static int correct(float[] y, int[] labels, int k) {
        int hits = 0;
        for (int i = 0; i < labels.length; i++) {
            int best = 0;
            for (int j = 1; j < k; j++) {
                if (y[i * k + j] > y[i * k + best]) {
                    best = j;
                }
            }
            if (best == labels[i]) {
                hits++;
            }
        }
        return hits;
    }
}
