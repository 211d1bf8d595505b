package org.modelbench.app.manifest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.modelbench.api.ConfigException;

/**
 * A YAML or JSON document as a plain tree (maps, lists, strings, numbers, booleans, nulls) that
 * remembers the line and column of every key path, in {@link org.modelbench.api.RecordBinder}'s
 * notation ({@code models[2].params.trees}).
 *
 * @param fileName  the file name used in messages
 * @param root      the document's value
 * @param locations the location of each key (for map entries) or item (for list elements)
 */
public record SourceTree(String fileName, Object root, Map<String, Location> locations) {

    /**
     * A position in the file, both counted from 1.
     *
     * @param line   the line
     * @param column the column
     */
    public record Location(int line, int column) {
        static Location of(JsonLocation l) {
            return new Location(Math.max(1, l.getLineNr()), Math.max(1, l.getColumnNr()));
        }
    }

    /**
     * Parses {@code text}: JSON when {@code fileName} ends with {@code .json}, YAML otherwise.
     *
     * @throws ManifestException on a syntax error or a duplicate key, with its location
     */
    public static SourceTree parse(String fileName, String text) {
        JsonFactory factory = fileName.toLowerCase(java.util.Locale.ROOT).endsWith(".json") ? new JsonFactory()
                : new YAMLFactory();
        Map<String, Location> locations = new HashMap<>();
        try (JsonParser parser = factory.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new ManifestException(fileName, new Location(1, 1), "", "the file is empty; expected a "
                        + "mapping with keys name, dataset, models, seeds");
            }
            Object root = new Reader(fileName, parser, locations).value("");
            return new SourceTree(fileName, root, Map.copyOf(locations));
        } catch (JsonProcessingException e) {
            JsonLocation where = e.getLocation();
            String message = e.getOriginalMessage().lines().findFirst().orElse("syntax error");
            throw new ManifestException(fileName, where == null ? new Location(1, 1) : Location.of(where), "",
                    "cannot parse as " + (factory instanceof YAMLFactory ? "YAML" : "JSON") + ": " + message);
        } catch (IOException e) {
            throw new ManifestException(fileName, new Location(1, 1), "", "cannot read: " + e.getMessage());
        }
    }

    /**
     * The location of {@code keyPath}, or of its nearest enclosing key when it is absent (a missing
     * key is reported where its parent mapping starts).
     */
    public Location locate(String keyPath) {
        String path = keyPath;
        while (!path.isEmpty()) {
            Location l = locations.get(path);
            if (l != null) {
                return l;
            }
            int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
            path = cut <= 0 ? "" : path.substring(0, cut);
        }
        return locations.getOrDefault("", new Location(1, 1));
    }

    /** The error for {@code e}, located at its key path. */
    public ManifestException error(ConfigException e) {
        return error(e.key(), e.expectation());
    }

    /** An error at {@code keyPath}. */
    public ManifestException error(String keyPath, String expectation) {
        return new ManifestException(fileName, locate(keyPath), keyPath, expectation);
    }

    /** Reads values recursively, recording locations. */
    private record Reader(String fileName, JsonParser parser, Map<String, Location> locations) {

        Object value(String path) throws IOException {
            JsonToken token = parser.currentToken();
            if (path.isEmpty()) {
                locations.put("", Location.of(parser.currentTokenLocation()));
            }
            switch (token) {
                case START_OBJECT: {
                    Map<String, Object> map = new LinkedHashMap<>();
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String key = parser.currentName();
                        String child = path.isEmpty() ? key : path + "." + key;
                        Location at = Location.of(parser.currentTokenLocation());
                        if (map.containsKey(key)) {
                            throw new ManifestException(fileName, at, child, "duplicate key; each key may appear "
                                    + "once per mapping");
                        }
                        locations.put(child, at);
                        parser.nextToken();
                        map.put(key, value(child));
                    }
                    return map;
                }
                case START_ARRAY: {
                    List<Object> list = new ArrayList<>();
                    int i = 0;
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        String child = path + "[" + i++ + "]";
                        locations.put(child, Location.of(parser.currentTokenLocation()));
                        list.add(value(child));
                    }
                    return list;
                }
                case VALUE_STRING:
                    return parser.getText();
                case VALUE_NUMBER_INT:
                    return parser.getNumberValue();
                case VALUE_NUMBER_FLOAT:
                    return parser.getDoubleValue();
                case VALUE_TRUE:
                    return Boolean.TRUE;
                case VALUE_FALSE:
                    return Boolean.FALSE;
                case VALUE_NULL:
                    return null;
                default:
                    throw new ManifestException(fileName, Location.of(parser.currentTokenLocation()), path,
                            "unexpected " + token);
            }
        }
    }
}
