/**
 * Tribuo baselines behind the modelbench SPI: the providers of {@code tribuo-random-forest},
 * {@code tribuo-extra-trees}, {@code tribuo-cart} and {@code tribuo-logistic}.
 *
 * <p>Providers are cheap to construct (no Tribuo class is touched until a trainer trains or a model
 * loads). Their configuration records live in {@link org.modelbench.tribuo.config}; the Tribuo side
 * (dataset adapter, model wrapper, saved format) lives in the non-exported
 * {@code org.modelbench.tribuo.internal} package.
 */
package org.modelbench.tribuo;
