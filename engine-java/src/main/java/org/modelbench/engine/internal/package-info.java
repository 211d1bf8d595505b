/**
 * The engine's internals (not exported): the SGEMM kernel, layer implementations and their
 * providers, losses, optimisers, the model families and the saved-model format.
 */
package org.modelbench.engine.internal;
