package org.modelbench.testkit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class OptionalMaterialTest {
    @Test
    void presentMaterialPassesMissingMaterialSkipsLocallyAndFailsInCi() {
        assertDoesNotThrow(() -> OptionalMaterial.require(true, "x", true));
        assertThrows(TestAbortedException.class,
                () -> OptionalMaterial.require(false, "OptionalMaterialTest's own example (expected)", false));
        AssertionFailedError ci = assertThrows(AssertionFailedError.class,
                () -> OptionalMaterial.require(false, "chromium not installed", true));
        assertTrue(ci.getMessage().contains("CI=true") && ci.getMessage().contains("chromium not installed"),
                ci.getMessage());
    }
}
