package org.modelbench.engine.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.api.ConfigException;
import org.modelbench.api.DataFormatException;
import org.modelbench.api.DataShape;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.Layer;
import org.modelbench.api.LayerContext;
import org.modelbench.api.Model;
import org.modelbench.api.RecordBinder;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.api.spi.LayerProvider;
import org.modelbench.api.spi.ModelFamilyProvider;
import org.modelbench.api.spi.ProviderCatalogue;
import org.modelbench.api.spi.ProviderContext;
import org.modelbench.engine.config.CnnConfig;
import org.modelbench.engine.config.NoConfig;

/**
 * A layer type that only a catalogue knows (as a plugin's would be): usable as a layer and as the
 * {@code activation} of dense and conv2d, saved and reloaded through the catalogue, and invisible
 * to a build that was not given that catalogue.
 */
class PluginLayersTest {

    /** {@code test-cube}: {@code y = x^3}, no parameters. */
    static class Cube implements LayerProvider<NoConfig> {
        @Override
        public String id() {
            return "test-cube";
        }

        @Override
        public Class<NoConfig> configType() {
            return NoConfig.class;
        }

        @Override
        public Shape outputShape(NoConfig config, Shape inputShape) {
            return inputShape;
        }

        @Override
        public Layer create(NoConfig config, Shape inputShape, long seed) {
            return new Layer() {
                private Tensor input;

                @Override
                public String type() {
                    return "test-cube";
                }

                @Override
                public Shape inputShape() {
                    return inputShape;
                }

                @Override
                public Shape outputShape() {
                    return inputShape;
                }

                @Override
                public Tensor forward(Tensor x, LayerContext context) {
                    input = context.keepsForBackward() ? x : null;
                    float[] y = x.data().clone();
                    for (int i = 0; i < y.length; i++) {
                        y[i] = y[i] * y[i] * y[i];
                    }
                    return Tensor.of(x.shape(), y);
                }

                @Override
                public Tensor backward(Tensor g, LayerContext context) {
                    float[] d = g.data().clone();
                    for (int i = 0; i < d.length; i++) {
                        d[i] *= 3 * input.data()[i] * input.data()[i];
                    }
                    return Tensor.of(g.shape(), d);
                }
            };
        }
    }

    private static final ProviderCatalogue WITH_CUBE = ProviderCatalogue.of(new Cube());

    @Test
    void aCatalogueLayerNamedAsActivationBecomesItsOwnNodeAfterALinearOne() {
        Network net = Network.builder("n", Shape.of(3), 1, WITH_CUBE)
                .add(Map.of("type", "dense", "units", 2, "activation", "test-cube", "name", "fc"), "layers[0]")
                .build();
        assertEquals(List.of("fc_linear", "fc"), net.nodes().stream().map(Network.Node::name).toList());
        assertEquals("test-cube", net.layer("fc").type());
        Tensor x = Tensor.of(Shape.of(1, 3), new float[] {0.5f, -1f, 2f});
        Tensor linear = net.layer("fc_linear").forward(x, LayerContext.inference());
        Tensor out = net.forward(x, LayerContext.inference());
        for (int i = 0; i < 2; i++) {
            float z = linear.data()[i];
            assertEquals(z * z * z, out.data()[i], 1e-6f);
        }
    }

    @Test
    void aBuildWithoutTheCatalogueDoesNotKnowItsLayers() {
        Map<String, Object> spec = Map.of("type", "test-cube");
        Network.builder("a", Shape.of(4), 1, WITH_CUBE).add(spec, "layers[0]").build();
        ConfigException unknown = assertThrows(ConfigException.class,
                () -> Network.builder("b", Shape.of(4), 1).add(spec, "layers[0]"));
        assertEquals("layers[0].type", unknown.key());
        ConfigException activation = assertThrows(ConfigException.class, () -> Network.checkSpec(
                Map.of("type", "dense", "units", 2, "activation", "test-cube"), "layers[1]", ProviderCatalogue.empty()));
        assertEquals("layers[1].activation", activation.key());
        assertTrue(activation.getMessage().contains("or a layer type without parameters"), activation.getMessage());
    }

    @Test
    void anActivationThatChangesTheShapeIsRejected() {
        ConfigException e = assertThrows(ConfigException.class, () -> Network.builder("n", Shape.of(1, 4, 4), 1)
                .add(Map.of("type", "conv2d", "filters", 2, "kernel", 3, "activation", "flatten"), "layers[0]"));
        assertEquals("layers[0].activation", e.key());
    }

    @Test
    @SuppressWarnings("unchecked")
    void aSavedModelWithACatalogueLayerReloadsThroughTheCatalogueOnly(@TempDir Path dir) {
        ModelFamilyProvider<CnnConfig> cnn = (ModelFamilyProvider<CnnConfig>) ProviderCatalogue.discover().family("cnn")
                .orElseThrow();
        CnnConfig config = RecordBinder.bind(Map.of("layers", List.of(
                Map.of("type", "flatten"),
                Map.of("type", "dense", "units", 3, "activation", "test-cube"),
                Map.of("type", "dense", "units", 2, "activation", "softmax"))), CnnConfig.class, "params");
        ProviderContext context = new ProviderContext(WITH_CUBE);
        cnn.check(config, new DataShape(Shape.of(1, 2, 2), 2, 10), context);
        assertThrows(ConfigException.class, () -> cnn.trainer(config, ProviderContext.empty()));
        Model model = cnn.initialModel(config, Shape.of(1, 2, 2), 2, 5, context).orElseThrow();
        model.save(dir);
        Tensor x = Tensor.of(Shape.of(2, 1, 2, 2), new float[] {1, 2, 3, 4, -1, 0.5f, 0, 2});
        assertArrayEquals(model.predictProbabilities(x).data(), cnn.load(dir, context).predictProbabilities(x).data());
        DataFormatException missing = assertThrows(DataFormatException.class,
                () -> cnn.load(dir, ProviderContext.empty()));
        assertTrue(missing.getMessage().contains("test-cube"), missing.getMessage());
    }

    @Test
    void aDifferentProviderUnderABuiltInIdFailsFast() {
        LayerProvider<NoConfig> impostor = new Cube() {
            @Override
            public String id() {
                return "relu";
            }
        };
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Network.builder("n", Shape.of(2), 1, ProviderCatalogue.of(impostor)));
        assertTrue(e.getMessage().startsWith("duplicate layer id 'relu': provided by module "), e.getMessage());
        assertTrue(e.getMessage().contains("classes) and by module ") && e.getMessage().contains("test-classes)"),
                "both origins: " + e.getMessage());
    }
}
