package org.modelbench.app.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import org.modelbench.api.AtomicFiles;
import org.modelbench.api.DataFormatException;

/** JSON files of a bundle: written pretty-printed and atomically, read with clear errors. */
public final class Json {
    /** The shared mapper (thread-safe once configured). */
    public static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    /** {@code value} as pretty JSON text ending with a newline. */
    public static String text(Object value) {
        try {
            return MAPPER.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    /** Writes {@code value} as JSON to {@code file} atomically. */
    public static void write(Path file, Object value) {
        AtomicFiles.writeString(file, text(value));
    }

    /** Reads {@code file} as {@code type}. */
    public static <T> T read(Path file, Class<T> type) {
        try {
            return MAPPER.readValue(Files.readString(file), type);
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file, -1, "missing");
        } catch (IOException e) {
            throw new DataFormatException(file, -1, "expected a " + type.getSimpleName() + " as JSON: "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    /** Reads {@code file} as a JSON object tree. */
    public static Map<String, Object> readTree(Path file) {
        try {
            return MAPPER.readValue(Files.readString(file), new TypeReference<Map<String, Object>>() { });
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file, -1, "missing");
        } catch (IOException e) {
            throw new DataFormatException(file, -1, "expected a JSON object: "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    /**
     * {@code value} as it reads back from its JSON text (maps, lists, strings, doubles, integers), so
     * that trees built in memory (with floats, records) compare equal to trees read from files.
     */
    public static Object reread(Object value) {
        try {
            return MAPPER.readValue(text(value), Object.class);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Re-reads a value as a plain tree (maps, lists, scalars) by way of JSON, for diffs. */
    public static Object toTree(Object value) {
        return MAPPER.convertValue(value, Object.class);
    }
}
