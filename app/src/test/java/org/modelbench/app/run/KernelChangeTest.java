package org.modelbench.app.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** What {@code reproduce} advises when the rerun's SGEMM kernel differs from the bundle's. */
class KernelChangeTest {
    private static final String OLD_RULE = "openblas 0.3.21 Cooperlake, java below m*n*k 1024";
    private static final String NEW_RULE = "openblas 0.3.21 Cooperlake, blocks v2, java below m*n*k 1024";

    @Test
    void anOlderBlockRuleOnTheSameCoreIsNamedAsTheBlockRule() {
        Reproduction.KernelChange k = new Reproduction.KernelChange("mlp seed 1", OLD_RULE, NEW_RULE);
        assertEquals("blocks v1", k.bundleBlocking());
        assertNull(k.bundleCore());
    }

    @Test
    void anotherCoreIsNamedAsTheCoreNotTheRule() {
        Reproduction.KernelChange k = new Reproduction.KernelChange("mlp seed 1",
                "openblas 0.3.21 Haswell, blocks v2, java below m*n*k 1024", NEW_RULE);
        assertEquals("Haswell", k.bundleCore());
        assertNull(k.bundleBlocking());
    }

    @Test
    void theJavaKernelAgainstOpenBlasIsASelectionNotABlockRule() {
        Reproduction.KernelChange k = new Reproduction.KernelChange("mlp seed 1", "java", NEW_RULE);
        assertNull(k.bundleBlocking());
        assertNull(k.bundleCore());
        assertEquals("MODELBENCH_BLAS=java", k.selection());
    }

    @Test
    void theSameRuleIsNoBlockChange() {
        assertNull(new Reproduction.KernelChange("cnn seed 2", NEW_RULE, NEW_RULE).bundleBlocking());
        assertEquals("blocks v2", Reproduction.KernelChange.blocking(NEW_RULE));
        assertNull(Reproduction.KernelChange.blocking("java"));
    }
}
