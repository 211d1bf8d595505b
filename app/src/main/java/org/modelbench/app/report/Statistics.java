package org.modelbench.app.report;

/**
 * The statistics of the report: Student's t distribution (through the regularised incomplete beta
 * function), McNemar's test and the corrected resampled t-test of Nadeau and Bengio (2003).
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
     * chi-square statistic with continuity correction. Returns the p-value (1 when b + c = 0).
     */
    public static double mcnemar(int b, int c) {
        int n = b + c;
        if (n == 0) {
            return 1.0;
        }
        if (n < 25) {
            int k = Math.min(b, c);
            double tail = 0;
            for (int i = 0; i <= k; i++) {
                tail += Math.exp(logChoose(n, i) - n * Math.log(2));
            }
            return Math.min(1.0, 2 * tail);
        }
        double chi2 = Math.pow(Math.abs(b - c) - 1.0, 2) / n;
        return erfc(Math.sqrt(chi2 / 2));
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
        return regularizedBeta(df / (df + t * t), df / 2, 0.5);
    }

    /** The {@code p}-quantile of Student's t with {@code df} degrees of freedom, {@code p} in (0.5, 1). */
    public static double studentTQuantile(double p, double df) {
        double target = 2 * (1 - p);
        double lo = 0;
        double hi = 1;
        while (studentTTwoSided(hi, df) > target) {
            hi *= 2;
        }
        for (int i = 0; i < 200 && hi - lo > 1e-12; i++) {
            double mid = (lo + hi) / 2;
            if (studentTTwoSided(mid, df) > target) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }

    /** The regularised incomplete beta function {@code I_x(a, b)} (continued fraction, Lentz). */
    static double regularizedBeta(double x, double a, double b) {
        if (x <= 0) {
            return 0;
        }
        if (x >= 1) {
            return 1;
        }
        if (x > (a + 1) / (a + b + 2)) {
            return 1 - regularizedBeta(1 - x, b, a);
        }
        double front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x)) / a;
        double tiny = 1e-300;
        double f = 1;
        double c = 1;
        double d = 0;
        for (int i = 0; i <= 400; i++) {
            int m = i / 2;
            double numerator;
            if (i == 0) {
                numerator = 1;
            } else if (i % 2 == 0) {
                numerator = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
            } else {
                numerator = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
            }
            d = 1 + numerator * d;
            d = Math.abs(d) < tiny ? tiny : d;
            d = 1 / d;
            c = 1 + numerator / c;
            c = Math.abs(c) < tiny ? tiny : c;
            double cd = c * d;
            f *= cd;
            if (Math.abs(1 - cd) < 1e-15) {
                break;
            }
        }
        return front * (f - 1);
    }

    /** {@code ln Gamma(x)} for {@code x > 0} (Lanczos, g = 7). */
    static double logGamma(double x) {
        double[] g = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
            -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
            1.5056327351493116e-7};
        if (x < 0.5) {
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        }
        x -= 1;
        double a = g[0];
        double t = x + 7.5;
        for (int i = 1; i < 9; i++) {
            a += g[i] / (x + i);
        }
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
    }

    private static double logChoose(int n, int k) {
        return logGamma(n + 1.0) - logGamma(k + 1.0) - logGamma(n - k + 1.0);
    }

    /** The complementary error function (Numerical Recipes' Chebyshev fit, |error| < 1.2e-7). */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
