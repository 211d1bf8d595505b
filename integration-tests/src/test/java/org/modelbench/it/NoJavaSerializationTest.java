package org.modelbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Model files never execute code: no Java serialization anywhere in the project's own sources. */
class NoJavaSerializationTest {
    private static final Pattern FORBIDDEN = Pattern.compile(
            "ObjectInputStream|ObjectOutputStream|implements\\s+[^{]*\\bSerializable\\b|\\breadObject\\s*\\(");

    @Test
    void noSourceFileUsesJavaSerialization() throws IOException {
        Path root = ModelbenchProcess.REPOSITORY;
        List<Path> sources;
        try (Stream<Path> walk = Files.walk(root)) {
            sources = walk.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/.git/"))
                    .filter(p -> !p.getFileName().toString().equals("NoJavaSerializationTest.java"))
                    .toList();
        }
        assertTrue(sources.size() > 20, "found only " + sources.size() + " sources under " + root);
        List<String> hits = sources.stream().flatMap(p -> {
            try {
                return Files.readAllLines(p).stream().filter(l -> FORBIDDEN.matcher(l).find())
                        .map(l -> root.relativize(p) + ": " + l.strip());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).toList();
        assertEquals(List.of(), hits);
    }
}
