package org.modelbench.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Keeps a module's two provider lists in step: the {@code provides ... with ...} clauses of its
 * {@code module-info.java} (used on the module path) and its {@code META-INF/services} files (used
 * on the class path) must name the same implementations for the same services.
 */
public final class ServiceFiles {
    private static final Pattern PROVIDES = Pattern.compile("provides\\s+([\\w.]+)\\s+with\\s+([\\w.,\\s]+);");

    private ServiceFiles() {
    }

    /**
     * Fails unless {@code moduleRoot/src/main/java/module-info.java} and
     * {@code moduleRoot/src/main/resources/META-INF/services/} declare the same providers.
     */
    public static void assertProvidesMatchServiceFiles(Path moduleRoot) {
        Path moduleInfo = moduleRoot.resolve("src/main/java/module-info.java");
        assertTrue(Files.isRegularFile(moduleInfo), "no " + moduleInfo);
        assertEquals(provides(moduleInfo), serviceFiles(moduleRoot.resolve("src/main/resources/META-INF/services")),
                moduleRoot + ": module-info.java's provides vs META-INF/services (nested classes written with '.')");
    }

    /** Service interface to implementation class names, from the {@code provides} clauses. */
    static Map<String, TreeSet<String>> provides(Path moduleInfo) {
        String text = withoutComments(read(moduleInfo));
        Map<String, TreeSet<String>> out = new TreeMap<>();
        Matcher m = PROVIDES.matcher(text);
        while (m.find()) {
            TreeSet<String> impls = out.computeIfAbsent(m.group(1), k -> new TreeSet<>());
            for (String impl : m.group(2).split(",")) {
                impls.add(impl.strip());
            }
        }
        return out;
    }

    /** Service interface to implementation class names, from the services files. */
    static Map<String, TreeSet<String>> serviceFiles(Path servicesDir) {
        Map<String, TreeSet<String>> out = new TreeMap<>();
        if (!Files.isDirectory(servicesDir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(servicesDir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                TreeSet<String> impls = new TreeSet<>();
                for (String line : read(f).split("\n")) {
                    String impl = line.replaceAll("#.*", "").strip();
                    if (!impl.isEmpty()) {
                        impls.add(impl.replace('$', '.'));
                    }
                }
                if (!impls.isEmpty()) {
                    out.put(f.getFileName().toString(), impls);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static String withoutComments(String java) {
        return java.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\n]*", " ");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
