package org.modelbench.app.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.Model;
import org.modelbench.api.Shape;
import org.modelbench.api.spi.ModelFamilyProvider;
import org.modelbench.app.plugins.PluginRegistry;
import org.modelbench.app.run.SavedModels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code modelbench model summary}. */
@Command(name = "model", mixinStandardHelpOptions = true, description = "Inspect models.",
        subcommands = {ModelCommand.Summary.class})
final class ModelCommand {
    @ParentCommand
    ModelbenchCommand root;

    /** {@code modelbench model summary FAMILY|MODEL_DIR|MANIFEST}. */
    @Command(name = "summary", mixinStandardHelpOptions = true,
            description = "Keras-style summary (layers, output shapes, parameter counts) of a model family "
                    + "with its default or given params, of a saved model directory, or of every model entry of a "
                    + "manifest (.yaml, .yml, .json).")
    static final class Summary implements Callable<Integer> {
        @ParentCommand
        ModelCommand model;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FAMILY|MODEL_DIR|MANIFEST",
                description = "A model family id, a saved model folder or a manifest.")
        String target;

        @Option(names = "--input-shape", paramLabel = "CxHxW", defaultValue = "1x28x28",
                description = "Per-sample input shape for a family: CxHxW for images, CxL for sequences (cnn1d), "
                        + "F for table rows (default: ${DEFAULT-VALUE}).")
        String inputShape;

        @Option(names = "--classes", paramLabel = "K", defaultValue = "10",
                description = "Number of classes for a family (default: ${DEFAULT-VALUE}).")
        int classes;

        @Option(names = "--param", paramLabel = "KEY=VALUE", description = "A family parameter; repeatable. "
                + "VALUE is YAML, e.g. --param hidden=[256,128].")
        Map<String, String> params = Map.of();

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PluginRegistry registry = model.root.registry();
            Path path = Path.of(target);
            Model m;
            if (ManifestSummaries.isManifest(target)) {
                ManifestSummaries.print(path, registry, out);
                return ExitCodes.OK;
            } else if (Files.isDirectory(path)) {
                m = SavedModels.load(registry, path).model();
            } else {
                ModelFamilyProvider<?> family = registry.requireFamily(target);
                m = initial(family, registry.bindConfig(target, YamlValues.parseAll(params, "--param"), "--param"),
                        registry);
            }
            out.print(m.summary().render());
            out.flush();
            return ExitCodes.OK;
        }

        private <C extends Record> Model initial(ModelFamilyProvider<C> family, Record config, PluginRegistry registry) {
            if (classes < 1) {
                throw new InvalidInputException("--classes: expected an integer >= 1, got " + classes);
            }
            return family.initialModel(family.configType().cast(config), parseShape(inputShape), classes, 0L,
                            registry.context())
                    .orElseThrow(() -> new InvalidInputException("model family '" + family.id()
                            + "' has no fixed structure before training (its size depends on the data)"));
        }

        static Shape parseShape(String text) {
            try {
                String[] parts = text.trim().split("[x,]");
                int[] dims = new int[parts.length];
                for (int i = 0; i < parts.length; i++) {
                    dims[i] = Integer.parseInt(parts[i].trim());
                }
                return Shape.of(dims);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("--input-shape: expected dimensions like 1x28x28, got \"" + text + "\"");
            }
        }
    }
}
