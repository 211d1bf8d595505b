package org.modelbench.api.spi;

/** The config of a dataset that takes no parameters: a manifest giving it {@code params} is an error. */
public record NoParams() {
}
