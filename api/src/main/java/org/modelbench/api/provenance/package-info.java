/**
 * Provenance values: where a model, a dataset or a result came from, as records that the
 * application writes into results bundles.
 */
package org.modelbench.api.provenance;
