package org.modelbench.tribuo.internal;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.modelbench.api.DataFormatException;
import org.modelbench.api.Printable;
import org.tribuo.classification.protos.TribuoClassificationCore;
import org.tribuo.classification.sgd.protos.TribuoClassificationSgd;
import org.tribuo.common.tree.protos.TribuoTree;
import org.tribuo.math.protos.TribuoMath;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.protos.core.TribuoCore;

/**
 * Checks a serialized Tribuo {@code ModelProto} as a stream, before anything is parsed into memory:
 * Tribuo's deserializer calls {@code Class.forName} on class names nested anywhere in the message
 * (each {@code class_name}, OLCUT's {@code provenance_class_name} and an enum provenance's
 * {@code additional}), so every such name must be on an allow-list, and every length read from the
 * stream must fit the limits below.
 *
 * <p>The walk follows the message descriptors of Tribuo's protobuf files; a {@code google.protobuf.Any}
 * is followed into the type its {@code type_url} names, which must be one of those files' types.
 * Limits (documented in {@code docs/model-format.md}): at most {@value #MAX_BYTES} bytes in all,
 * strings of at most {@value #MAX_STRING} bytes, nesting at most {@value #MAX_DEPTH} deep.
 */
final class TribuoModelScan {
    /** The largest serialized model read (after gunzipping), in bytes. */
    static final int MAX_BYTES = 1 << 30;
    /** The longest string field (class, feature and provenance names), in bytes. */
    static final int MAX_STRING = 1 << 16;
    static final int MAX_DEPTH = 64;
    /** Tribuo classes that the model's own messages (not its provenance) may name. */
    static final Set<String> MODEL_CLASSES = Set.of(
            "org.tribuo.ensemble.WeightedEnsembleModel",
            "org.tribuo.common.tree.TreeModel",
            "org.tribuo.classification.sgd.linear.LinearSGDModel",
            "org.tribuo.classification.ensemble.VotingCombiner",
            "org.tribuo.classification.ImmutableLabelInfo",
            "org.tribuo.classification.Label",
            "org.tribuo.ImmutableFeatureMap",
            "org.tribuo.CategoricalIDInfo",
            "org.tribuo.RealIDInfo",
            "org.tribuo.common.tree.LeafNode",
            "org.tribuo.common.tree.SplitNode",
            "org.tribuo.math.LinearParameters",
            "org.tribuo.math.la.DenseMatrix",
            "org.tribuo.math.la.DenseVector",
            "org.tribuo.math.util.ExpNormalizer",
            "org.tribuo.math.util.NoopNormalizer",
            "org.tribuo.math.util.Normalizer",
            "org.tribuo.math.util.SigmoidNormalizer",
            "org.tribuo.common.sgd.AbstractLinearSGDModel",
            "org.tribuo.classification.sgd.linear.LinearSGDModel$ClassificationLinearSGDModel");
    /** Packages whose provenance classes OLCUT may load when it rebuilds the model's provenance. */
    static final List<String> PROVENANCE_PACKAGES = List.of("org.tribuo.", "com.oracle.labs.mlrg.olcut.provenance.",
            "org.modelbench.tribuo.");
    /**
     * The string fields whose values Tribuo or OLCUT pass to {@code Class.forName} (an object's own
     * class, {@code object_class_name}, is recorded but not loaded).
     */
    static final Set<String> LOADED_NAME_FIELDS = Set.of("class_name", "provenance_class_name", "additional");
    private static final String ANY = "google.protobuf.Any";
    private static final Map<String, Descriptor> TYPES = types();

    private final Path file;
    private final CodedInputStream in;
    private final Deque<String> path = new ArrayDeque<>();

    private TribuoModelScan(Path file, InputStream stream) {
        this.file = file;
        this.in = CodedInputStream.newInstance(stream, 1 << 16);
        this.in.setSizeLimit(MAX_BYTES);
    }

    /**
     * Scans one serialized {@code ModelProto} from {@code stream} (the gunzipped content of {@code file}).
     *
     * @throws DataFormatException naming the file and the field when a limit is exceeded, a class name
     *                             is not allowed or the stream is not a well-formed model message
     * @throws IOException         when reading fails
     */
    static void check(Path file, InputStream stream) throws IOException {
        TribuoModelScan scan = new TribuoModelScan(file, stream);
        try {
            scan.message(ModelProto.getDescriptor(), 0);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw scan.error("malformed protobuf (" + e.getMessage() + ")");
        }
    }

    private void message(Descriptor type, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw error("nested more than " + MAX_DEPTH + " messages deep");
        }
        boolean any = type.getFullName().equals(ANY);
        Descriptor anyType = null;
        while (true) {
            int tag = in.readTag();
            if (tag == 0) {
                return;
            }
            FieldDescriptor field = type.findFieldByNumber(WireFormat.getTagFieldNumber(tag));
            int wireType = WireFormat.getTagWireType(tag);
            if (field == null || wireType != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                path.push(field == null ? "#" + WireFormat.getTagFieldNumber(tag) : field.getName());
                skip(tag, wireType);
                path.pop();
                continue;
            }
            path.push(field.getName());
            int length = in.readRawVarint32();
            if (length < 0 || length > MAX_BYTES) {
                throw error("length " + length + " out of range");
            }
            if (any && field.getNumber() == 1) {
                anyType = anyType(readString(length));
            } else if (any && field.getNumber() == 2) {
                if (anyType == null) {
                    throw error("an Any value comes before its type_url");
                }
                nested(anyType, length, depth);
            } else if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                nested(field.getMessageType(), length, depth);
            } else if (field.getJavaType() == FieldDescriptor.JavaType.STRING) {
                if (length > MAX_STRING) {
                    throw error("a string of " + length + " bytes; at most " + MAX_STRING + " are allowed");
                }
                if (namesAClass(field)) {
                    checkClassName(type, readString(length));
                } else {
                    in.skipRawBytes(length);
                }
            } else {
                in.skipRawBytes(length);
            }
            path.pop();
        }
    }

    private void nested(Descriptor type, int length, int depth) throws IOException {
        int old = in.pushLimit(length);
        message(type, depth + 1);
        if (!in.isAtEnd()) {
            throw error("malformed nested message");
        }
        in.popLimit(old);
    }

    private void skip(int tag, int wireType) throws IOException {
        if (wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            int length = in.readRawVarint32();
            if (length < 0 || length > MAX_BYTES) {
                throw error("length " + length + " out of range");
            }
            in.skipRawBytes(length);
        } else if (wireType == WireFormat.WIRETYPE_START_GROUP || wireType == WireFormat.WIRETYPE_END_GROUP) {
            throw error("protobuf groups are not used by Tribuo");
        } else if (!in.skipField(tag)) {
            throw error("unexpected end of a group");
        }
    }

    private String readString(int length) throws IOException {
        if (length > MAX_STRING) {
            throw error("a string of " + length + " bytes; at most " + MAX_STRING + " are allowed");
        }
        return new String(in.readRawBytes(length), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static boolean namesAClass(FieldDescriptor field) {
        return LOADED_NAME_FIELDS.contains(field.getName());
    }

    private void checkClassName(Descriptor owner, String name) {
        if (name.isEmpty()) {
            return;
        }
        boolean provenance = owner.getFile().getPackage().startsWith("olcut");
        boolean allowed = provenance
                ? PROVENANCE_PACKAGES.stream().anyMatch(name::startsWith) && validClassName(name)
                : MODEL_CLASSES.contains(name);
        if (!allowed) {
            throw error("class name '" + Printable.of(name) + "' is not allowed; a model may name only "
                    + (provenance ? "provenance classes in " + PROVENANCE_PACKAGES
                    : "the " + MODEL_CLASSES.size() + " Tribuo model classes this plugin writes"));
        }
    }

    private static boolean validClassName(String name) {
        return name.matches("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*");
    }

    private Descriptor anyType(String typeUrl) {
        Descriptor type = TYPES.get(typeUrl.substring(typeUrl.lastIndexOf('/') + 1));
        if (type == null) {
            throw error("an Any of type '" + Printable.of(typeUrl) + "', which is not a Tribuo message type");
        }
        return type;
    }

    private DataFormatException error(String what) {
        List<String> fields = new java.util.ArrayList<>(path);
        java.util.Collections.reverse(fields);
        return new DataFormatException(file, in.getTotalBytesRead(), "field " + (fields.isEmpty() ? "(top)"
                : String.join(".", fields)) + ": " + what + " (after gunzipping)");
    }

    /** Every message type of Tribuo's protobuf files and the files they import, by full name. */
    private static Map<String, Descriptor> types() {
        Map<String, Descriptor> out = new HashMap<>();
        Deque<FileDescriptor> todo = new ArrayDeque<>(List.of(TribuoCore.getDescriptor(), TribuoMath.getDescriptor(),
                TribuoTree.getDescriptor(), TribuoClassificationCore.getDescriptor(),
                TribuoClassificationSgd.getDescriptor(),
                org.tribuo.protos.core.TribuoCoreImpl.getDescriptor(), org.tribuo.math.protos.TribuoMathImpl.getDescriptor()));
        Set<String> seen = new java.util.HashSet<>();
        while (!todo.isEmpty()) {
            FileDescriptor f = todo.pop();
            if (!seen.add(f.getName())) {
                continue;
            }
            Deque<Descriptor> messages = new ArrayDeque<>(f.getMessageTypes());
            while (!messages.isEmpty()) {
                Descriptor d = messages.pop();
                out.put(d.getFullName(), d);
                messages.addAll(d.getNestedTypes());
            }
            todo.addAll(f.getDependencies());
        }
        return Map.copyOf(out);
    }
}
