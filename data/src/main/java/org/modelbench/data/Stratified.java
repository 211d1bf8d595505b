package org.modelbench.data;

import java.util.Arrays;
import java.util.Random;
import org.modelbench.api.InvalidInputException;

/** Seeded stratified sampling and K-fold assignment: class proportions kept, each class shuffled with the seed. */
public final class Stratified {
    private Stratified() {
    }

    /**
     * Picks {@code n} of the rows whose labels are {@code labels}, keeping class proportions (largest
     * remainders get the leftover rows, ties to the lower class), each class's rows shuffled with
     * {@code seed}. Returns the picked row indices in increasing order.
     */
    public static int[] sample(int[] labels, int numClasses, int n, long seed) {
        int total = labels.length;
        if (n > total) {
            throw new InvalidInputException("cannot draw " + n + " rows from " + total);
        }
        int[][] byClass = byClass(labels, numClasses, seed);
        int[] quota = new int[numClasses];
        double[] remainder = new double[numClasses];
        int assigned = 0;
        for (int c = 0; c < numClasses; c++) {
            double exact = (double) n * byClass[c].length / total;
            quota[c] = (int) Math.floor(exact);
            remainder[c] = exact - quota[c];
            assigned += quota[c];
        }
        while (assigned < n) {
            int best = -1;
            for (int c = 0; c < numClasses; c++) {
                if (quota[c] < byClass[c].length && (best < 0 || remainder[c] > remainder[best])) {
                    best = c;
                }
            }
            quota[best]++;
            remainder[best] = -1;
            assigned++;
        }
        int[] out = new int[n];
        int k = 0;
        for (int c = 0; c < numClasses; c++) {
            System.arraycopy(byClass[c], 0, out, k, quota[c]);
            k += quota[c];
        }
        Arrays.sort(out);
        return out;
    }

    /**
     * Assigns every row to one of {@code k} folds, stratified: each class's rows, shuffled with
     * {@code seed}, are dealt to the folds in turn, continuing where the previous class stopped, so
     * fold sizes differ by at most one and every class is spread as evenly as its count allows.
     *
     * @return the fold of each row, in {@code [0, k)}
     */
    public static int[] folds(int[] labels, int numClasses, int k, long seed) {
        if (k < 2 || k > labels.length) {
            throw new InvalidInputException("cannot make " + k + " folds of " + labels.length + " rows; expected 2 to "
                    + labels.length);
        }
        int[][] byClass = byClass(labels, numClasses, seed);
        int[] fold = new int[labels.length];
        int next = 0;
        for (int[] rows : byClass) {
            for (int row : rows) {
                fold[row] = next;
                next = (next + 1) % k;
            }
        }
        return fold;
    }

    /** The seed of the test rows a dataset format holds out when it is given no test file. */
    public static final long HOLDOUT_SEED = 0x5EED7E57L;

    /**
     * The rows held out for testing when a dataset has no test file: a stratified
     * {@code round(fraction * N)} rows, drawn with {@link #HOLDOUT_SEED}.
     *
     * @param where names each class's source for messages (a folder, or {@code file: class 'x'})
     * @throws InvalidInputException when a class has fewer than two rows
     */
    public static boolean[] holdout(int[] labels, int numClasses, double fraction, java.util.function.IntFunction<String> where,
                                    String unit) {
        int[] counts = new int[numClasses];
        for (int label : labels) {
            counts[label]++;
        }
        for (int c = 0; c < numClasses; c++) {
            if (counts[c] < 2) {
                throw new InvalidInputException(where.apply(c) + ": " + counts[c] + " " + unit + (counts[c] == 1 ? "" : "s")
                        + "; testSplit needs at least 2 per class (one to train on, one to test)");
            }
        }
        int n = Math.max(numClasses, (int) Math.round(fraction * labels.length));
        n = Math.min(n, labels.length - numClasses);
        boolean[] test = new boolean[labels.length];
        for (int row : sample(labels, numClasses, n, HOLDOUT_SEED)) {
            test[row] = true;
        }
        return test;
    }

    /** The rows of each class, in increasing order, then shuffled with {@code seed} (class by class). */
    private static int[][] byClass(int[] labels, int numClasses, long seed) {
        int[] counts = new int[numClasses];
        for (int label : labels) {
            counts[label]++;
        }
        int[][] byClass = new int[numClasses][];
        for (int c = 0; c < numClasses; c++) {
            byClass[c] = new int[counts[c]];
        }
        int[] fill = new int[numClasses];
        for (int i = 0; i < labels.length; i++) {
            byClass[labels[i]][fill[labels[i]]++] = i;
        }
        Random random = new Random(seed);
        for (int[] rows : byClass) {
            for (int i = rows.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = rows[i];
                rows[i] = rows[j];
                rows[j] = t;
            }
        }
        return byClass;
    }
}
