/**
 * The experiment runner: prepares each trial's data (subsets, validation split, preprocessing,
 * augmentation), trains every (model x seed) trial through the SPI, and writes the results bundle
 * ({@code runs/<name>/<timestamp>/}) file by file atomically so that a killed run resumes to the same
 * final results. Also the provenance lock and the comparison used by {@code reproduce}. Trials run
 * through a {@link org.modelbench.app.run.TrialExecutor} ({@link org.modelbench.app.run.LocalExecutor}
 * here); the SLURM executor, which submits the same {@code trial} step as array tasks, is
 * {@code org.modelbench.app.slurm}.
 */
package org.modelbench.app.run;
