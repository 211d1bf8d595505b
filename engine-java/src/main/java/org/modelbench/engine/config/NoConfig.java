package org.modelbench.engine.config;

/**
 * The (empty) configuration of layers without settings: {@code flatten}, {@code global-avgpool},
 * {@code relu}, {@code sigmoid}, {@code tanh}, {@code softmax}, {@code add}, {@code concat}
 * (channel axis).
 */
public record NoConfig() {
}
