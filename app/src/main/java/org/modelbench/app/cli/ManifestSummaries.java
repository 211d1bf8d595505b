package org.modelbench.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.modelbench.api.Model;
import org.modelbench.api.Shape;
import org.modelbench.api.spi.DatasetProvider;
import org.modelbench.api.spi.ModelFamilyProvider;
import org.modelbench.api.spi.ProviderContext;
import org.modelbench.app.manifest.ExperimentPlan;
import org.modelbench.app.manifest.ManifestLoader;
import org.modelbench.app.plugins.PluginRegistry;
import org.modelbench.data.IdxReader;

/** {@code modelbench model summary MANIFEST}: the summary of every model entry with a fixed structure. */
final class ManifestSummaries {
    private ManifestSummaries() {
    }

    /** Whether {@code target} names a manifest file. */
    static boolean isManifest(String target) {
        String lower = target.toLowerCase(Locale.ROOT);
        return lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json");
    }

    static void print(Path manifest, PluginRegistry registry, PrintWriter out) {
        for (ExperimentPlan plan : new ManifestLoader(registry).load(manifest).perDataset()) {
            print(manifest, plan, registry, out);
        }
        out.flush();
    }

    /** The models' summaries on one dataset. */
    private static void print(Path manifest, ExperimentPlan plan, PluginRegistry registry, PrintWriter out) {
        Shape sample;
        int classes;
        if (plan.dataset() != null) {
            DatasetProvider.Info info = plan.datasetInfo();
            sample = info.sampleShape();
            classes = info.classNames().size();
        } else {
            sample = IdxReader.read(plan.dataFiles().get("testImages"), 3).toImageTensor().shape().withoutBatch();
            classes = plan.manifest().dataset().files().classNames().size();
        }
        out.printf("%s: %d model(s) on %s (samples %s, %d classes)%n%n", manifest, plan.models().size(),
                plan.datasetLabel(), sample, classes);
        for (ExperimentPlan.PlannedModel m : plan.models()) {
            out.println("== " + m.spec().id() + " (family " + m.family().info().id() + ")");
            Optional<Model> initial = initial(m.family().provider(), m.config(), sample, classes, registry.context());
            out.println(initial.map(model -> model.summary().render())
                    .orElse("no fixed structure before training (its size depends on the data)\n"));
        }
    }

    @SuppressWarnings("unchecked")
    private static <C extends Record> Optional<Model> initial(ModelFamilyProvider<?> provider, Record config,
                                                              Shape sample, int classes, ProviderContext providers) {
        ModelFamilyProvider<C> family = (ModelFamilyProvider<C>) provider;
        return family.initialModel(family.configType().cast(config), sample, classes, 0L, providers);
    }
}
