/**
 * Experiment manifests: the records a YAML or JSON manifest binds to (through
 * {@link org.modelbench.api.RecordBinder}, the platform's one binding mechanism), the reader that
 * remembers where each key sits in the file, and the validated {@link org.modelbench.app.manifest.ExperimentPlan}
 * the runner executes, and the {@code executor:} settings ({@link org.modelbench.app.manifest.ExecutorSettings},
 * which no result depends on). Every error names the file, line:column, key path and what was expected.
 */
package org.modelbench.app.manifest;
