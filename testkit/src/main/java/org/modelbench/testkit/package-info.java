/**
 * Contract tests for plugins. A plugin's test class extends
 * {@link org.modelbench.testkit.ModelFamilyContract} (for a {@code ModelFamilyProvider}) or
 * {@link org.modelbench.testkit.LayerContract} (for a {@code LayerProvider}), says which provider and
 * which small configuration to test, and inherits the tests; {@link org.modelbench.testkit.ServiceFiles}
 * checks that a module's {@code provides} and its {@code META-INF/services} files list the same
 * classes. {@link org.modelbench.testkit.ContractData} makes small deterministic datasets.
 */
package org.modelbench.testkit;
