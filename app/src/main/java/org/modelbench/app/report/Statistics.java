package org.modelbench.app.report;

import org.hipparchus.distribution.continuous.ChiSquaredDistribution;
import org.hipparchus.distribution.continuous.TDistribution;
import org.hipparchus.stat.inference.AlternativeHypothesis;
import org.hipparchus.stat.inference.BinomialTest;

/**
 * The statistics of the report: confidence intervals of the mean (Student's t), McNemar's test and
 * the corrected resampled t-test of Nadeau and Bengio (2003). The distributions are Hipparchus'
 * ({@code hipparchus-core}, {@code hipparchus-stat}); this class only states which test is used.
 */
public final class Statistics {
    private Statistics() {
    }

    /**
     * Mean, sample standard deviation and 95% confidence half-width of the mean.
     *
     * @param n          the number of values
     * @param mean       their mean
     * @param std        their sample standard deviation (0 for one value)
     * @param halfWidth  {@code t(0.975, n-1) * std / sqrt(n)}; NaN for one value
     */
    public record Summary(int n, double mean, double std, double halfWidth) {
        public static Summary of(double[] values) {
            int n = values.length;
            double mean = 0;
            for (double v : values) {
                mean += v;
            }
            mean /= n;
            double ss = 0;
            for (double v : values) {
                ss += (v - mean) * (v - mean);
            }
            double std = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
            double half = n > 1 ? studentTQuantile(0.975, n - 1) * std / Math.sqrt(n) : Double.NaN;
            return new Summary(n, mean, std, half);
        }
    }

    /**
     * McNemar's test on paired predictions: {@code b} rows only the first model got right, {@code c}
     * rows only the second. Exact two-sided binomial test when {@code b + c < 25}, else the
     * chi-square statistic with continuity correction (one degree of freedom). Returns the p-value
     * (1 when b + c = 0).
     */
    public static double mcnemar(int b, int c) {
        if (b < 0 || c < 0) {
            throw new IllegalArgumentException("McNemar counts must be >= 0, got " + b + " and " + c);
        }
        int n = b + c;
        if (n == 0) {
            return 1.0;
        }
        if (n < 25) {
            return Math.min(1.0, new BinomialTest().binomialTest(n, Math.min(b, c), 0.5,
                    AlternativeHypothesis.TWO_SIDED));
        }
        double chi2 = Math.pow(Math.abs(b - c) - 1.0, 2) / n;
        return 1.0 - new ChiSquaredDistribution(1).cumulativeProbability(chi2);
    }

    /**
     * The corrected resampled t-test: paired differences {@code d} across seeds, each from a model
     * trained on {@code trainRows} and tested on {@code testRows}; the variance is inflated by
     * {@code 1/n + testRows/trainRows} for the overlap of training sets. Returns the two-sided
     * p-value (NaN with fewer than two differences).
     */
    public static double correctedResampledTTest(double[] d, int trainRows, int testRows) {
        int n = d.length;
        if (n < 2) {
            return Double.NaN;
        }
        Summary s = Summary.of(d);
        double variance = s.std() * s.std();
        if (variance == 0) {
            return s.mean() == 0 ? 1.0 : 0.0;
        }
        double t = s.mean() / Math.sqrt((1.0 / n + (double) testRows / trainRows) * variance);
        return studentTTwoSided(t, n - 1);
    }

    /** {@code P(|T| >= |t|)} for Student's t with {@code df} degrees of freedom. */
    public static double studentTTwoSided(double t, double df) {
        return 2 * new TDistribution(df).cumulativeProbability(-Math.abs(t));
    }

    /** The {@code p}-quantile of Student's t with {@code df} degrees of freedom, {@code p} in (0, 1). */
    public static double studentTQuantile(double p, double df) {
        return new TDistribution(df).inverseCumulativeProbability(p);
    }
}
