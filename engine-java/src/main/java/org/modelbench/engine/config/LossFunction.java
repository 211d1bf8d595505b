package org.modelbench.engine.config;

/**
 * Training losses, averaged over the batch. {@code cross-entropy} is the softmax cross-entropy,
 * fused with a final softmax (computed from its logits with log-sum-exp, so it never takes the log
 * of an underflowed probability); without a final softmax the outputs are taken as logits.
 * {@code mse} is the mean squared error against one-hot targets, {@code sum((y - t)^2) / K}.
 */
public enum LossFunction { CROSS_ENTROPY, MSE }
