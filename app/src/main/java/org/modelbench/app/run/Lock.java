package org.modelbench.app.run;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.modelbench.api.RecordBinder;
import org.modelbench.api.provenance.ComponentInfo;
import org.modelbench.app.manifest.ExperimentPlan;
import org.modelbench.app.plugins.PluginRegistry;

/**
 * The provenance of a run, {@code lock.json}: module names and versions, the providers used
 * (families, the dataset and the layer types the models' configs name, each with its module and jar,
 * so that a plugin used only through its layers is recorded), data file SHA-256s, JVM, OS, CPU, host,
 * thread counts and the git commit of the working folder when there is one. Written by
 * {@link #collect}, read back by {@link #read}.
 *
 * @param created      when the run started (volatile)
 * @param bundleFormat {@link Bundle#FORMAT}; {@code null} in bundles made before the key
 * @param modules      the modules of the application's layer, sorted by name
 * @param components   the providers the run uses
 * @param data         the data of a single-dataset manifest; {@code null} in a suite
 * @param datasets     a suite's data, one entry per dataset in manifest order; absent otherwise
 * @param jvm          the JVM
 * @param os           the operating system
 * @param cpu          the processor
 * @param host         the host name
 * @param threads      trainer threads per model id
 * @param git          the working folder's commit, or {@code null} outside a git checkout
 */
public record Lock(String created, Integer bundleFormat, List<ModuleVersion> modules, List<Component> components,
                   @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                   Data data,
                   @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                   List<Data> datasets, Jvm jvm, Os os, Cpu cpu, String host, Map<String, Integer> threads, Git git) {

    public Lock {
        modules = modules == null ? List.of() : List.copyOf(modules);
        components = components == null ? List.of() : List.copyOf(components);
        threads = threads == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(threads));
        if ((data == null) == (datasets == null)) {
            throw new IllegalArgumentException("expected 'data' (one dataset) or 'datasets' (a suite), exactly one");
        }
        datasets = datasets == null ? null : List.copyOf(datasets);
    }

    /** Every dataset's data: the suite's, or the one. */
    public List<Data> allData() {
        return datasets != null ? datasets : List.of(data);
    }

    /** Per dataset label, the SHA-256 of each of its files. */
    public Map<String, Map<String, String>> hashesByDataset() {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        allData().forEach(d -> out.put(d.name(), d.sha256()));
        return out;
    }

    /** A module and its version ({@code unversioned}, or {@code class path} outside the module path). */
    public record ModuleVersion(String name, String version) {
    }

    /** A provider the run uses: {@code kind} is {@code model-family}, {@code dataset} or {@code layer}. */
    public record Component(String kind, String id, String version, String module, String jar) {
    }

    /**
     * @param name     the dataset label
     * @param sha256   SHA-256 of every data file by file name
     * @param poolRows rows trials draw training rows from
     * @param testRows fixed test rows
     * @param notes    what the dataset provider noted while reading the files, by key (for a table, e.g.
     *                 {@code unseenCategories:<column>}: test rows whose category the training rows lack,
     *                 encoded as all zeros; {@code imputed:<column>}; {@code droppedTextColumns}); empty for
     *                 bundles from before notes
     */
    public record Data(String name, Map<String, String> sha256, int poolRows, int testRows, Map<String, String> notes) {
        public Data {
            sha256 = sha256 == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(sha256));
            notes = notes == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(notes));
        }

        /**
         * A dataset's notes: its metadata but the file hashes (in {@code sha256}), its source and its feature
         * column list (both in the resolved config).
         */
        static Map<String, String> notesOf(Map<String, String> metadata) {
            Map<String, String> notes = new LinkedHashMap<>();
            metadata.forEach((key, value) -> {
                if (!key.startsWith("sha256:") && !key.equals("source") && !key.equals("featureColumns")) {
                    notes.put(key, value);
                }
            });
            return notes;
        }
    }

    public record Jvm(String version, String vendor, String vm) {
    }

    public record Os(String name, String version, String arch) {
    }

    public record Cpu(String model, int availableProcessors) {
    }

    public record Git(String commit, boolean dirty) {
    }

    /** Reads a bundle's {@code lock.json}. */
    public static Lock read(Path file) {
        return Json.read(file, Lock.class);
    }

    /** The lock of a run of {@code plan} on {@code data}. */
    public static Lock collect(ExperimentPlan plan, PluginRegistry registry, DatasetCache cache) {
        Set<String> layerIds = new TreeSet<>();
        plan.models().forEach(m -> layerTypes(RecordBinder.toTree(m.config()), registry, layerIds));
        List<Component> used = new ArrayList<>();
        for (ComponentInfo c : registry.components()) {
            boolean isUsed = plan.models().stream().anyMatch(m -> m.family().info().equals(c))
                    || plan.perDataset().stream().anyMatch(p -> p.dataset() != null && p.dataset().info().equals(c))
                    || c.kind().equals(PluginRegistry.LAYER) && layerIds.contains(c.id());
            if (isUsed) {
                used.add(new Component(c.kind(), c.id(), c.version(), c.module(),
                        Path.of(c.location()).getFileName().toString()));
            }
        }
        Map<String, Integer> threads = new LinkedHashMap<>();
        plan.models().forEach(m -> threads.put(m.spec().id(), m.spec().trainer().threads()));
        List<Data> data = new ArrayList<>();
        for (ExperimentPlan part : plan.perDataset()) {
            ExperimentData d = cache.get(part.datasetLabel());
            data.add(new Data(part.datasetLabel(), d.fileHashes(), d.pool().size(), d.test().size(),
                    Data.notesOf(d.test().metadata())));
        }
        return new Lock(Instant.now().toString(), Bundle.FORMAT, moduleVersions(), used,
                plan.manifest().suite() ? null : data.get(0), plan.manifest().suite() ? data : null,
                new Jvm(System.getProperty("java.version"), System.getProperty("java.vendor"),
                        System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version")),
                new Os(System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("os.arch")),
                new Cpu(cpuModel(), Runtime.getRuntime().availableProcessors()), hostName(), threads, gitCommit());
    }

    /**
     * The layer types a family config names: every {@code type} or {@code activation} value anywhere
     * in it that is a registered layer id (layer specs such as {@code {type: conv2d, activation: swish}}).
     */
    private static void layerTypes(Object tree, PluginRegistry registry, Set<String> out) {
        if (tree instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                if ((key.equals("type") || key.equals("activation")) && value instanceof String id
                        && registry.layer(id).isPresent()) {
                    out.add(id);
                }
                layerTypes(value, registry, out);
            });
        } else if (tree instanceof List<?> list) {
            list.forEach(v -> layerTypes(v, registry, out));
        }
    }

    private static List<ModuleVersion> moduleVersions() {
        List<ModuleVersion> out = new ArrayList<>();
        ModuleLayer layer = Lock.class.getModule().getLayer();
        if (layer != null) {
            layer.modules().stream().sorted(Comparator.comparing(Module::getName)).forEach(m ->
                    out.add(new ModuleVersion(m.getName(), m.getDescriptor().rawVersion().orElse("unversioned"))));
        } else {
            for (String element : System.getProperty("java.class.path", "").split(java.io.File.pathSeparator)) {
                if (element.endsWith(".jar")) {
                    out.add(new ModuleVersion(Path.of(element).getFileName().toString(), "class path"));
                }
            }
            out.sort(Comparator.comparing(ModuleVersion::name));
        }
        return out;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall back to the JVM's view
        }
        return System.getProperty("os.arch");
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The commit and dirtiness of the working folder's git repository, or {@code null} without one. */
    private static Git gitCommit() {
        String commit = command("git", "rev-parse", "HEAD");
        if (commit == null || !commit.matches("[0-9a-f]{40}")) {
            return null;
        }
        String status = command("git", "status", "--porcelain", "--untracked-files=no");
        return new Git(commit, status != null && !status.isBlank());
    }

    private static String command(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return null;
            }
            return out;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
