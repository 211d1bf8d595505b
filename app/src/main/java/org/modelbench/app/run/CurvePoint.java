package org.modelbench.app.run;

/**
 * One epoch of a learning curve ({@code curve.json} holds a list). Missing values (a family without a
 * loss, a run without validation rows) are {@code null}.
 *
 * @param epoch              the epoch, from 1
 * @param trainLoss          mean training loss
 * @param trainAccuracy      training accuracy
 * @param validationLoss     validation loss
 * @param validationAccuracy validation accuracy
 * @param seconds            the epoch's wall time (a timing: not compared by reproduce)
 */
public record CurvePoint(int epoch, Double trainLoss, Double trainAccuracy, Double validationLoss,
                         Double validationAccuracy, double seconds) {

    /** {@code null} for NaN or infinite values. */
    static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
