/**
 * Typed parameters of the Tribuo model families, as manifests write them under {@code params:}.
 *
 * <p>Each record fills its defaults for missing ({@code null}) components in its compact
 * constructor and rejects bad values with a {@link org.modelbench.api.ConfigException} naming the
 * key, e.g. {@code trees: expected an integer >= 1, got 0}. The module opens this package to
 * {@code org.modelbench.api} so that {@link org.modelbench.api.RecordBinder} can bind to it. The
 * optional {@code seed} component overrides the run's seed; when it is absent (the default) the
 * trainer derives its seeds from {@link org.modelbench.api.RunContext#seed()}.
 */
package org.modelbench.tribuo.config;
