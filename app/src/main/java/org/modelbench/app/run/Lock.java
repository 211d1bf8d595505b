package org.modelbench.app.run;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.modelbench.api.provenance.ComponentInfo;
import org.modelbench.app.manifest.ExperimentPlan;
import org.modelbench.app.plugins.PluginRegistry;

/**
 * The provenance of a run, {@code lock.json}: module names and versions, the providers used, data
 * file SHA-256s, JVM, OS, CPU, host, thread counts and the git commit of the working folder when
 * there is one.
 */
public final class Lock {
    /** Keys that differ between any two runs and so are left out of provenance diffs. */
    public static final List<String> VOLATILE = List.of("created");

    private Lock() {
    }

    /** The lock of a run of {@code plan} on {@code data}. */
    public static Map<String, Object> collect(ExperimentPlan plan, PluginRegistry registry, ExperimentData data) {
        Map<String, Object> lock = new LinkedHashMap<>();
        lock.put("created", Instant.now().toString());
        lock.put("modules", modules());
        List<Map<String, Object>> used = new ArrayList<>();
        for (ComponentInfo c : registry.components()) {
            boolean isUsed = plan.models().stream().anyMatch(m -> m.family().info().equals(c))
                    || plan.dataset() != null && plan.dataset().info().equals(c);
            if (isUsed) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("kind", c.kind());
                entry.put("id", c.id());
                entry.put("version", c.version());
                entry.put("module", c.module());
                entry.put("jar", Path.of(c.location()).getFileName().toString());
                used.add(entry);
            }
        }
        lock.put("components", used);
        Map<String, Object> dataset = new LinkedHashMap<>();
        dataset.put("name", plan.manifest().dataset().label());
        dataset.put("sha256", new LinkedHashMap<>(data.fileHashes()));
        dataset.put("poolRows", data.pool().size());
        dataset.put("testRows", data.test().size());
        // what the provider noted while reading: unseen test categories, imputed values, dropped columns
        Map<String, String> notes = new java.util.TreeMap<>(data.test().metadata());
        notes.keySet().removeIf(k -> k.startsWith("sha256:") || k.equals("source"));
        if (!notes.isEmpty()) {
            dataset.put("notes", notes);
        }
        lock.put("data", dataset);
        Map<String, Object> jvm = new LinkedHashMap<>();
        jvm.put("version", System.getProperty("java.version"));
        jvm.put("vendor", System.getProperty("java.vendor"));
        jvm.put("vm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        lock.put("jvm", jvm);
        Map<String, Object> os = new LinkedHashMap<>();
        os.put("name", System.getProperty("os.name"));
        os.put("version", System.getProperty("os.version"));
        os.put("arch", System.getProperty("os.arch"));
        lock.put("os", os);
        Map<String, Object> cpu = new LinkedHashMap<>();
        cpu.put("model", cpuModel());
        cpu.put("availableProcessors", Runtime.getRuntime().availableProcessors());
        lock.put("cpu", cpu);
        lock.put("host", hostName());
        Map<String, Object> threads = new LinkedHashMap<>();
        plan.models().forEach(m -> threads.put(m.spec().id(), m.spec().trainer().threads()));
        lock.put("threads", threads);
        lock.put("git", git());
        return lock;
    }

    private static List<Map<String, String>> modules() {
        List<Map<String, String>> out = new ArrayList<>();
        ModuleLayer layer = Lock.class.getModule().getLayer();
        if (layer != null) {
            layer.modules().stream().sorted(Comparator.comparing(Module::getName)).forEach(m -> {
                Map<String, String> entry = new LinkedHashMap<>();
                entry.put("name", m.getName());
                entry.put("version", m.getDescriptor().rawVersion().orElse("unversioned"));
                out.add(entry);
            });
        } else {
            for (String element : System.getProperty("java.class.path", "").split(java.io.File.pathSeparator)) {
                if (element.endsWith(".jar")) {
                    Map<String, String> entry = new LinkedHashMap<>();
                    entry.put("name", Path.of(element).getFileName().toString());
                    entry.put("version", "class path");
                    out.add(entry);
                }
            }
            out.sort(Comparator.comparing(m -> m.get("name")));
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
    private static Map<String, Object> git() {
        String commit = command("git", "rev-parse", "HEAD");
        if (commit == null || !commit.matches("[0-9a-f]{40}")) {
            return null;
        }
        Map<String, Object> git = new LinkedHashMap<>();
        git.put("commit", commit);
        String status = command("git", "status", "--porcelain", "--untracked-files=no");
        git.put("dirty", status != null && !status.isBlank());
        return git;
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
