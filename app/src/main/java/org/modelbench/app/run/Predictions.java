package org.modelbench.app.run;

/**
 * A trial's test predictions, {@code predictions.json}, for paired tests between models.
 *
 * @param labels    the true class of each test row
 * @param predicted the predicted class of each test row
 */
public record Predictions(int[] labels, int[] predicted) {

    /** Whether each row was classified correctly. */
    public boolean[] correct() {
        boolean[] out = new boolean[labels.length];
        for (int i = 0; i < labels.length; i++) {
            out[i] = labels[i] == predicted[i];
        }
        return out;
    }
}
