package org.modelbench.app.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What {@code reproduce} says when the rerun's engine algorithm revision differs from the bundle's. */
class RevisionChangeTest {
    @Test
    void anotherRevisionIsNamedWithBoth() {
        Reproduction.RevisionChange c = Reproduction.RevisionChange.of("cnn seed 1", "1", "2");
        assertEquals("1", c.bundle());
        assertEquals("2", c.rerun());
        assertTrue(c.reason().startsWith("the bundle's trials were computed by engine algorithm revision 1, this rerun "
                + "by revision 2;"), c.reason());
        assertTrue(c.reason().contains("only a build of revision 1 reproduces"), c.reason());
    }

    @Test
    void aBundleWithoutARevisionIsUnknownNotEqual() {
        Reproduction.RevisionChange c = Reproduction.RevisionChange.of("cnn seed 1", null, "1");
        assertNull(c.bundle());
        assertTrue(c.reason().contains("record no engine algorithm revision") && c.reason().contains("unknown")
                && c.reason().contains("revision 1"), c.reason());
    }

    @Test
    void theSameRevisionOrAFamilyWithoutOneIsNoChange() {
        assertNull(Reproduction.RevisionChange.of("cnn seed 1", "1", "1"));
        assertNull(Reproduction.RevisionChange.of("forest seed 1", null, null));
        assertNull(Reproduction.RevisionChange.of("forest seed 1", "1", null));
    }
}
