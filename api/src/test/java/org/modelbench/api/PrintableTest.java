package org.modelbench.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PrintableTest {
    @Test
    void controlCharactersAndBidiOverridesAreEscaped() {
        assertEquals("evil\\u001b[2Jred\\u000a\\u202e", Printable.of("evil\u001b[2Jred\n\u202e"));
        assertEquals("caf\u00e9 \u6f22\u5b57", Printable.of("caf\u00e9 \u6f22\u5b57"));
        assertEquals("null", Printable.of(null));
    }

    @Test
    void longTextIsCutAndSaysHowLongItWas() {
        String name = "x".repeat(1000);
        assertEquals("x".repeat(200) + "... (1000 characters)", Printable.of(name));
        assertEquals("xxx... (1000 characters)", Printable.of(name, 3));
    }
}
