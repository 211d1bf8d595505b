package org.modelbench.api.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.Layer;
import org.modelbench.api.Shape;

class ProviderCatalogueTest {

    /** A layer type for the tests; {@code id} is the manifest name. */
    record TestLayer(String id) implements LayerProvider<TestLayer.Config> {
        record Config() {
        }

        @Override
        public Class<Config> configType() {
            return Config.class;
        }

        @Override
        public Shape outputShape(Config config, Shape inputShape) {
            return inputShape;
        }

        @Override
        public Layer create(Config config, Shape inputShape, long seed) {
            throw new UnsupportedOperationException("not needed here");
        }
    }

    /** Another class under the same id, as a second jar would bring it. */
    record OtherLayer(String id) implements LayerProvider<TestLayer.Config> {
        @Override
        public Class<TestLayer.Config> configType() {
            return TestLayer.Config.class;
        }

        @Override
        public Shape outputShape(TestLayer.Config config, Shape inputShape) {
            return inputShape;
        }

        @Override
        public Layer create(TestLayer.Config config, Shape inputShape, long seed) {
            throw new UnsupportedOperationException("not needed here");
        }
    }

    @Test
    void findsProvidersByKindAndIdInTheOrderGiven() {
        TestLayer swish = new TestLayer("swish");
        TestLayer gelu = new TestLayer("gelu");
        ProviderCatalogue catalogue = ProviderCatalogue.of(swish, gelu);
        assertEquals(List.of(swish, gelu), catalogue.layers());
        assertSame(gelu, catalogue.layer("gelu").orElseThrow());
        assertTrue(catalogue.layer("relu").isEmpty());
        assertTrue(catalogue.families().isEmpty());
        assertTrue(ProviderCatalogue.empty().layers().isEmpty());
        assertEquals(List.of(swish, gelu, new TestLayer("mish")),
                catalogue.with(List.of(new TestLayer("mish"))).layers());
    }

    @Test
    void aDuplicateLayerIdFailsFastNamingBothOrigins() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> ProviderCatalogue.of(new TestLayer("swish"), new OtherLayer("swish")));
        assertTrue(e.getMessage().startsWith("duplicate layer id 'swish': provided by module "), e.getMessage());
        assertEquals(2, e.getMessage().split(" \\(").length - 1, "both origins with their location: " + e.getMessage());
        assertThrows(InvalidInputException.class,
                () -> ProviderCatalogue.of(new TestLayer("a")).with(List.of(new OtherLayer("a"))));
    }

    @Test
    void aProviderOfNoKnownKindIsRejected() {
        Provider stray = () -> "stray";
        var e = assertThrows(IllegalArgumentException.class, () -> ProviderCatalogue.of(stray));
        assertTrue(e.getMessage().contains("id 'stray'"), e.getMessage());
    }

    @Test
    void theContextRequiresACatalogue() {
        assertThrows(NullPointerException.class, () -> new ProviderContext(null));
        assertFalse(ProviderContext.of(new TestLayer("x")).catalogue().layers().isEmpty());
    }

    /**
     * The api holds no mutable static state: every static field of every api class is final and
     * holds an immutable value (no registry, cache or installable hook).
     */
    @Test
    void theApiHasNoMutableStaticState() throws IOException, URISyntaxException, ClassNotFoundException {
        Path classes = Path.of(ProviderCatalogue.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> offending = new java.util.ArrayList<>();
        int checked = 0;
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                if (name.equals("module-info")) {
                    continue;
                }
                Class<?> type = Class.forName(name, false, ProviderCatalogue.class.getClassLoader());
                checked++;
                for (Field f : type.getDeclaredFields()) {
                    int m = f.getModifiers();
                    if (!Modifier.isStatic(m) || f.isSynthetic() || f.isEnumConstant()) {
                        continue;
                    }
                    boolean immutable = f.getType().isPrimitive() || f.getType() == String.class
                            || f.getType() == ProviderCatalogue.class || f.getType().isRecord();
                    if (!Modifier.isFinal(m) || !immutable) {
                        offending.add(type.getName() + "." + f.getName() + " (" + f.getType().getSimpleName() + ")");
                    }
                }
            }
        }
        assertTrue(checked > 30, "scanned the api's classes: " + checked);
        assertEquals(List.of(), offending, "static fields that could hold state");
    }
}
