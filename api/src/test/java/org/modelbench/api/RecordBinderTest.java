package org.modelbench.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordBinderTest {
    enum Optimizer { ADAM, SGD, ADA_DELTA }

    record Inner(int size, Double rate) {
        Inner {
            if (size < 1) {
                throw new ConfigException("size", "expected an integer >= 1, got " + size);
            }
            if (rate == null) {
                rate = 0.5;
            }
        }
    }

    record Outer(Integer trees, double fraction, boolean flag, String name, Optimizer optimizer, List<Integer> hidden,
                 List<Inner> layers, Map<String, Object> extra, long seed) {
        Outer {
            if (trees == null) {
                trees = 100;
            }
            if (trees < 1) {
                throw new ConfigException("trees", "expected an integer >= 1, got " + trees);
            }
        }
    }

    private static Map<String, Object> valid() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fraction", 0.25);
        m.put("flag", true);
        m.put("name", "x");
        m.put("optimizer", "ada-delta");
        m.put("hidden", List.of(512, 256));
        m.put("layers", List.of(Map.of("size", 3)));
        m.put("extra", Map.of("k", "v"));
        m.put("seed", 42);
        return m;
    }

    @Test
    void bindsEveryKindOfValueAndFillsDefaults() {
        Outer o = RecordBinder.bind(valid(), Outer.class, "params");
        assertEquals(100, o.trees());
        assertEquals(0.25, o.fraction());
        assertEquals(Optimizer.ADA_DELTA, o.optimizer());
        assertEquals(List.of(512, 256), o.hidden());
        assertEquals(new Inner(3, 0.5), o.layers().get(0));
        assertEquals(42L, o.seed());
        Map<String, Object> tree = RecordBinder.toTree(o);
        assertEquals("ada-delta", tree.get("optimizer"));
        assertEquals(List.of(Map.of("size", 3, "rate", 0.5)), tree.get("layers"));
        assertEquals(o, RecordBinder.bind(tree, Outer.class, ""), "toTree and bind round-trip");
    }

    private static String error(String key, Object value) {
        Map<String, Object> m = valid();
        m.put(key, value);
        return assertThrows(ConfigException.class, () -> RecordBinder.bind(m, Outer.class, "models[2].params"))
                .getMessage();
    }

    @Test
    void errorsNameTheKeyPathAndWhatWasExpected() {
        assertEquals("models[2].params.trees: expected an integer, got \"many\"", error("trees", "many"));
        assertEquals("models[2].params.trees: expected an integer >= 1, got 0", error("trees", 0));
        assertEquals("models[2].params.trees: expected an integer, got 2.5", error("trees", 2.5));
        assertEquals("models[2].params.fraction: expected a number, got \"half\"", error("fraction", "half"));
        assertEquals("models[2].params.flag: expected true or false, got \"yes\"", error("flag", "yes"));
        assertEquals("models[2].params.optimizer: expected one of adam, sgd, ada-delta, got \"lbfgs\"",
                error("optimizer", "lbfgs"));
        assertEquals("models[2].params.hidden[1]: expected an integer, got \"wide\"", error("hidden", List.of(1, "wide")));
        assertEquals("models[2].params.layers[0].size: expected an integer >= 1, got -3",
                error("layers", List.of(Map.of("size", -3))));
        assertEquals("models[2].params.layers[0].colour: unknown key; expected one of size, rate",
                error("layers", List.of(Map.of("size", 1, "colour", "red"))));
        assertEquals("models[2].params.hidden: expected a list, got 5", error("hidden", 5));
        assertEquals("models[2].params.name: expected a string, got a mapping", error("name", Map.of()));
        assertEquals("models[2].params.trees: expected an integer that fits 32 bits, got 9999999999",
                error("trees", 9_999_999_999L));
    }

    @Test
    void unknownAndMissingKeys() {
        Map<String, Object> m = valid();
        m.put("tress", 3);
        assertEquals("params.tress: unknown key; expected one of trees, fraction, flag, name, optimizer, hidden, "
                + "layers, extra, seed", assertThrows(ConfigException.class,
                () -> RecordBinder.bind(m, Outer.class, "params")).getMessage());
        Map<String, Object> missing = valid();
        missing.remove("fraction");
        assertEquals("params.fraction: missing; expected a number", assertThrows(ConfigException.class,
                () -> RecordBinder.bind(missing, Outer.class, "params")).getMessage());
        assertEquals("params: expected a mapping with keys size, rate, got a list", assertThrows(ConfigException.class,
                () -> RecordBinder.bind(List.of(), Inner.class, "params")).getMessage());
    }
}
