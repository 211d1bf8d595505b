package org.modelbench.tribuo.internal;

import java.util.Arrays;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.classification.Label;
import org.tribuo.math.la.SparseVector;
import org.tribuo.math.la.VectorTuple;

/**
 * A Tribuo classification dataset quantised once for histogram tree building: every feature value
 * becomes a bin number in {@code 0..255}, one byte per value, stored feature-major
 * ({@code bin(f, row)} at {@code f * rows + row}) so that a node's histogram over one feature reads
 * one contiguous column.
 *
 * <p>A feature with at most {@value #MAX_BINS} distinct values gets one bin per value (MNIST's pixels,
 * 0..255 or rescaled, are exact): a split between two bins is then the same split exact CART
 * makes. A feature with more values is cut at quantiles of its sorted values into at most
 * {@value #MAX_BINS} bins of consecutive values. Bin {@code b} of feature {@code f} covers the values
 * {@code [lowest(f, b), highest(f, b)]}; the split threshold between bins {@code a < c} is
 * {@code (highest(f, a) + lowest(f, c)) / 2}, Tribuo's midpoint rule, so a bin's values all fall on
 * one side of it at prediction time. Features missing from a sparse example count as 0, as in
 * Tribuo's CART. Immutable after construction and shared by all trees of a forest.
 */
final class BinnedRows {
    /** At most this many bins per feature (one byte per value). */
    static final int MAX_BINS = 256;

    private final Dataset<Label> source;
    private final int rows;
    private final int features;
    private final int classes;
    private final byte[] bins;
    private final int[] labels;
    private final float[] weights;
    private final double[][] lowest;
    private final double[][] highest;

    private BinnedRows(Dataset<Label> source, int rows, int features, int classes, byte[] bins, int[] labels,
                       float[] weights, double[][] lowest, double[][] highest) {
        this.source = source;
        this.rows = rows;
        this.features = features;
        this.classes = classes;
        this.bins = bins;
        this.labels = labels;
        this.weights = weights;
        this.lowest = lowest;
        this.highest = highest;
    }

    /**
     * Quantises {@code data}: two passes over its examples (distinct values, then bins), plus one
     * sort per feature with more than {@value #MAX_BINS} distinct values.
     */
    static BinnedRows of(Dataset<Label> data) {
        ImmutableFeatureMap featureMap = data.getFeatureIDMap();
        ImmutableOutputInfo<Label> outputs = data.getOutputIDInfo();
        int n = data.size();
        int d = featureMap.size();
        if ((long) n * d > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("histogram trees: " + n + " rows x " + d
                    + " features exceed one array of bins (2^31 values)");
        }
        int[] labels = new int[n];
        float[] weights = new float[n];
        double[][] distinct = new double[d][8];
        int[] distinctCount = new int[d];
        boolean[] many = new boolean[d];
        double[] row = new double[d];
        RowReader reader = new RowReader(featureMap);
        for (int i = 0; i < n; i++) {
            Example<Label> e = data.getExample(i);
            labels[i] = outputs.getID(e.getOutput());
            weights[i] = e.getWeight();
            reader.read(e, row);
            for (int f = 0; f < d; f++) {
                if (!many[f]) {
                    many[f] = !observe(distinct, distinctCount, f, row[f]);
                }
            }
        }
        double[][] manyColumns = new double[d][];
        for (int f = 0; f < d; f++) {
            if (many[f]) {
                manyColumns[f] = new double[n];
            }
        }
        byte[] bins = new byte[n * d];
        for (int i = 0; i < n; i++) {
            reader.read(data.getExample(i), row);
            for (int f = 0; f < d; f++) {
                if (many[f]) {
                    manyColumns[f][i] = row[f];
                } else {
                    bins[f * n + i] = (byte) Arrays.binarySearch(distinct[f], 0, distinctCount[f], row[f]);
                }
            }
        }
        double[][] lowest = new double[d][];
        double[][] highest = new double[d][];
        for (int f = 0; f < d; f++) {
            if (many[f]) {
                quantiles(manyColumns[f], f, n, bins, lowest, highest);
                manyColumns[f] = null;
            } else {
                lowest[f] = Arrays.copyOf(distinct[f], distinctCount[f]);
                highest[f] = lowest[f];
            }
        }
        return new BinnedRows(data, n, d, outputs.size(), bins, labels, weights, lowest, highest);
    }

    /**
     * Writes an example's values into a dense row by feature id, 0 where absent. A
     * {@link TensorRowExample} is read straight from its tensor, its names mapped to ids once per
     * name array (the adapter's rows share one); any other example goes through Tribuo's
     * {@code SparseVector}.
     */
    private static final class RowReader {
        private final ImmutableFeatureMap featureMap;
        private String[] lastNames;
        private int[] lastIds;

        RowReader(ImmutableFeatureMap featureMap) {
            this.featureMap = featureMap;
        }

        void read(Example<Label> e, double[] row) {
            Arrays.fill(row, 0.0);
            if (e instanceof TensorRowExample view) {
                String[] names = view.namesView();
                float[] data = view.dataView();
                int offset = view.offset();
                if (names != lastNames) {
                    lastIds = new int[names.length];
                    for (int j = 0; j < names.length; j++) {
                        lastIds[j] = featureMap.getID(names[j]);
                    }
                    lastNames = names;
                }
                for (int j = 0; j < names.length; j++) {
                    int id = lastIds[j];
                    if (id >= 0) {
                        row[id] = data[offset + j];
                    }
                }
                return;
            }
            for (VectorTuple t : SparseVector.createSparseVector(e, featureMap, false)) {
                row[t.index] = t.value;
            }
        }
    }

    /** Adds {@code value} to feature {@code f}'s sorted distinct values; false once there are too many. */
    private static boolean observe(double[][] distinct, int[] count, int f, double value) {
        int at = Arrays.binarySearch(distinct[f], 0, count[f], value);
        if (at >= 0) {
            return true;
        }
        if (count[f] == MAX_BINS) {
            return false;
        }
        int insert = -at - 1;
        if (count[f] == distinct[f].length) {
            distinct[f] = Arrays.copyOf(distinct[f], Math.min(MAX_BINS, 2 * count[f]));
        }
        System.arraycopy(distinct[f], insert, distinct[f], insert + 1, count[f] - insert);
        distinct[f][insert] = value;
        count[f]++;
        return true;
    }

    /**
     * Bins of consecutive sorted values for a feature with more than {@value #MAX_BINS} distinct
     * values: a bin closes at a value change once it holds at least {@code n / MAX_BINS} rows, so equal
     * values never straddle two bins.
     */
    private static void quantiles(double[] column, int f, int n, byte[] bins, double[][] lowest, double[][] highest) {
        double[] sorted = column.clone();
        Arrays.sort(sorted);
        double[] low = new double[MAX_BINS];
        double[] high = new double[MAX_BINS];
        int count = 0;
        int target = Math.max(1, (n + MAX_BINS - 1) / MAX_BINS);
        int start = 0;
        for (int i = 1; i <= n; i++) {
            boolean end = i == n;
            if (!end && sorted[i] == sorted[i - 1]) {
                continue;
            }
            // The last bin takes all remaining values.
            if (end || (i - start >= target && count < MAX_BINS - 1)) {
                low[count] = sorted[start];
                high[count] = sorted[i - 1];
                count++;
                start = i;
            }
        }
        lowest[f] = Arrays.copyOf(low, count);
        highest[f] = Arrays.copyOf(high, count);
        for (int i = 0; i < n; i++) {
            int at = Arrays.binarySearch(highest[f], column[i]);
            bins[f * n + i] = (byte) (at >= 0 ? at : -at - 1);
        }
    }

    /** Whether {@code data} is the dataset these bins were made from. */
    boolean isOf(Dataset<Label> data) {
        return data == source;
    }

    /** The dataset these bins were made from. */
    Dataset<Label> source() {
        return source;
    }

    int rows() {
        return rows;
    }

    int features() {
        return features;
    }

    int classes() {
        return classes;
    }

    /** All bins, feature-major: {@code bins()[f * rows() + row]}, unsigned. */
    byte[] bins() {
        return bins;
    }

    /** Tribuo label id of each row. */
    int[] labels() {
        return labels;
    }

    /** Example weight of each row. */
    float[] weights() {
        return weights;
    }

    /** Tribuo's midpoint threshold between bin {@code below} and the next occupied bin {@code above} of feature {@code f}. */
    double threshold(int f, int below, int above) {
        return (highest[f][below] + lowest[f][above]) / 2.0;
    }
}
