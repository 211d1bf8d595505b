package org.modelbench.api;

/**
 * A learned tensor of a layer with its gradient buffer.
 *
 * <p>{@link #value()} and {@link #gradient()} have the same shape. Backward passes add into the
 * gradient; optimisers read it, update the value and clear it. A frozen parameter
 * ({@code trainable == false}) is neither updated nor regularised.
 */
public final class Parameter {
    private final String name;
    private final Tensor value;
    private final Tensor gradient;
    private boolean trainable = true;
    private float l2;

    /**
     * @param name  the parameter's name inside its layer, e.g. {@code kernel} or {@code bias}
     * @param value the initial value (kept, not copied)
     * @param l2    the L2 penalty factor: the loss gains {@code l2 * sum(value^2)}
     */
    public Parameter(String name, Tensor value, float l2) {
        if (!(l2 >= 0)) {
            throw new IllegalArgumentException("parameter " + name + ": l2 must be >= 0, got " + l2);
        }
        this.name = name;
        this.value = value;
        this.gradient = Tensor.zeros(value.shape());
        this.l2 = l2;
    }

    public String name() {
        return name;
    }

    public Tensor value() {
        return value;
    }

    public Tensor gradient() {
        return gradient;
    }

    public boolean trainable() {
        return trainable;
    }

    /** Freezes ({@code false}) or unfreezes ({@code true}) this parameter. */
    public void setTrainable(boolean trainable) {
        this.trainable = trainable;
    }

    /** The L2 penalty factor (0 for none). */
    public float l2() {
        return l2;
    }

    public void setL2(float l2) {
        this.l2 = l2;
    }

    /** Number of scalars. */
    public int size() {
        return value.shape().size();
    }
}
