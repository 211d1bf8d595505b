package org.modelbench.testkit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Tests that need optional reference material (a browser, ONNX's conformance files, a BLAS) call
 * {@link #require}: locally a missing piece skips the test with a {@code skipped: ...} line; in CI
 * ({@code CI=true} in the environment) it fails the test, so CI cannot pass with the material
 * never used. {@code scripts/install-test-deps.sh} installs all of it.
 */
public final class OptionalMaterial {
    private OptionalMaterial() {
    }

    /** Whether this run is CI: the environment variable {@code CI} is {@code true}. */
    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * Returns when {@code present}; otherwise fails in CI, or prints {@code skipped: WHAT} and
     * aborts the test (JUnit reports it skipped).
     *
     * @param what what is missing and how to get it, e.g. {@code chromium not installed (apt-get install chromium)}
     */
    public static void require(boolean present, String what) {
        require(present, what, inCi());
    }

    static void require(boolean present, String what, boolean ci) {
        if (present) {
            return;
        }
        if (ci) {
            Assertions.fail("CI=true but the test's material is missing: " + what
                    + " (scripts/install-test-deps.sh installs it)");
        }
        System.out.println("skipped: " + what);
        Assumptions.abort(what);
    }
}
