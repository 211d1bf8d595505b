/**
 * Shared helpers of the fuzz tests. The fuzz tests themselves sit in the packages of the readers
 * they fuzz (the tests run on the class path), one {@code *FuzzTest} per reader, each with its seed
 * corpus under {@code src/test/resources/<package>/<Class>Inputs/<method>/}.
 */
package org.modelbench.fuzz;
