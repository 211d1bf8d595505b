/**
 * The engine's internals (exported to no module): layer implementations and their
 * providers, losses, optimisers, the model families and the saved-model format.
 */
package org.modelbench.engine.internal;
