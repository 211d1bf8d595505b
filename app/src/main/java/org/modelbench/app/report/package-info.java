/**
 * The comparison report of a results bundle: summary statistics across seeds (mean, standard
 * deviation, 95% confidence interval), paired significance tests between models (McNemar on each
 * seed's test predictions, the corrected resampled t-test across seeds), a win/tie/loss summary,
 * and XChart plots, rendered as {@code report.md} and a self-contained {@code report.html}.
 */
package org.modelbench.app.report;
