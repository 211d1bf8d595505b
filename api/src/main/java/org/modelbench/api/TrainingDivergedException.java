package org.modelbench.api;

/** Training produced a NaN or infinite loss; the message says at which epoch and batch. */
public class TrainingDivergedException extends ModelbenchException {
    public TrainingDivergedException(String message) {
        super(message);
    }
}
