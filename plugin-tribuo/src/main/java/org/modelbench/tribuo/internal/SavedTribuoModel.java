package org.modelbench.tribuo.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;
import org.modelbench.api.AtomicFiles;
import org.modelbench.api.DataFormatException;
import org.modelbench.api.Printable;
import org.modelbench.api.RecordBinder;
import org.modelbench.api.SavedModelHeader;
import org.modelbench.api.Shape;
import org.modelbench.api.provenance.ModelProvenance;
import org.modelbench.api.provenance.VolatileKeys;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.classification.ensemble.VotingCombiner;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.protos.core.WeightedEnsembleModelProto;

/**
 * The saved form of a Tribuo family's model: a directory with
 * <ul>
 *   <li>{@value SavedModelHeader#FILE_NAME}: the platform header (family id, format version
 *       {@value #FORMAT_VERSION});</li>
 *   <li>{@value #MODEL_FILE}: the Tribuo model in Tribuo's protobuf format ({@code ModelProto},
 *       which carries Tribuo's own provenance), gzip-compressed: tree leaves repeat their class
 *       names, so a 100-tree MNIST forest shrinks about tenfold;</li>
 *   <li>{@value #SIDECAR_FILE}: {@code key=value} lines (java.util.Properties syntax) with the
 *       sample shape ({@code sample-shape=1x28x28}), the class names in platform order
 *       ({@code classes=10}, {@code class.0=...}), the family version, seed and threads of the
 *       training run, the configuration ({@code config.<key>=<value>}) and the platform-side
 *       provenance details ({@code detail.<key>=<value>}).</li>
 * </ul>
 * Nothing is read with Java serialization: the model file is parsed as a protobuf message whose
 * top-level class must be one of the Tribuo model classes this plugin writes, then rebuilt by
 * Tribuo's protobuf deserializer.
 */
public final class SavedTribuoModel {
    /** Version of this directory layout. */
    public static final int FORMAT_VERSION = 1;
    static final String MODEL_FILE = "tribuo-model.pb.gz";
    static final String SIDECAR_FILE = "tribuo-model.properties";
    private static final String TRIBUO_PROVENANCE = "tribuo.provenance";
    /** The longest class name read from the sidecar, in characters. */
    static final int MAX_CLASS_NAME = 1000;
    /** The largest sidecar read, in bytes. */
    static final long MAX_SIDECAR = 16 << 20;
    private static final Set<String> TOP_LEVEL_CLASSES = Set.of(
            "org.tribuo.ensemble.WeightedEnsembleModel",
            "org.tribuo.common.tree.TreeModel",
            "org.tribuo.classification.sgd.linear.LinearSGDModel");

    private SavedTribuoModel() {
    }

    /** Writes {@code model} into {@code directory}, each file atomically. */
    static void save(Path directory, TribuoClassifier model) {
        ModelProvenance p = model.provenance();
        Properties props = new Properties();
        props.setProperty("sample-shape", model.sampleShape().toString());
        props.setProperty("classes", Integer.toString(model.classNames().size()));
        for (int c = 0; c < model.classNames().size(); c++) {
            props.setProperty("class." + c, model.classNames().get(c));
        }
        props.setProperty("family-version", p.familyVersion());
        props.setProperty("seed", Long.toString(p.seed()));
        props.setProperty("threads", Integer.toString(p.threads()));
        RecordBinder.toTree(p.config()).forEach((key, value) -> {
            if (value != null) {
                props.setProperty("config." + key, value.toString());
            }
        });
        p.details().forEach((key, value) -> {
            // Wall-clock timings are run facts, not model facts: they stay out of the model files so
            // that the same training gives byte-identical files (reproduce compares checksums).
            if (!key.equals(TRIBUO_PROVENANCE) && !VolatileKeys.isVolatile(key)) {
                props.setProperty("detail." + key, value);
            }
        });
        AtomicFiles.write(directory.resolve(MODEL_FILE), gzip(ProvenanceTimestamps.pin(TreeProtos.serialize(model.tribuoModel()))));
        AtomicFiles.writeString(directory.resolve(SIDECAR_FILE), deterministicText(props));
        new SavedModelHeader(p.familyId(), FORMAT_VERSION).write(directory);
    }

    /**
     * Reads a model saved by {@link #save} for family {@code familyId}.
     *
     * @throws DataFormatException if a file is missing, truncated, corrupted, of another family or
     *                             too new
     */
    public static <C extends Record> TribuoClassifier load(Path directory, String familyId, Class<C> configType) {
        SavedModelHeader.read(directory).require(directory, familyId, FORMAT_VERSION);
        Path sidecar = SavedModelHeader.file(directory, SIDECAR_FILE);
        Properties props = new Properties();
        try {
            if (Files.size(sidecar) > MAX_SIDECAR) {
                throw new DataFormatException(sidecar, -1, Files.size(sidecar) + " bytes; at most " + MAX_SIDECAR
                        + " are read");
            }
            props.load(new StringReader(Files.readString(sidecar, StandardCharsets.UTF_8)));
        } catch (NoSuchFileException e) {
            throw new DataFormatException(sidecar, -1, "missing; a Tribuo model directory needs it");
        } catch (IOException | IllegalArgumentException e) {
            throw new DataFormatException(sidecar, -1, "cannot read: " + e.getMessage(), e);
        }
        Shape shape = parseShape(sidecar, required(props, sidecar, "sample-shape"));
        int classes = parseInt(sidecar, "classes", required(props, sidecar, "classes"));
        if (classes < 1 || classes > props.size()) {
            throw new DataFormatException(sidecar, -1, "classes: " + classes + " is out of range; expected 1 to the "
                    + props.size() + " keys the file holds (one class.N key per class)");
        }
        List<String> classNames = new ArrayList<>(classes);
        for (int c = 0; c < classes; c++) {
            String name = required(props, sidecar, "class." + c);
            if (name.length() > MAX_CLASS_NAME) {
                throw new DataFormatException(sidecar, -1, "class." + c + ": a class name of " + name.length()
                        + " characters; at most " + MAX_CLASS_NAME + " are allowed");
            }
            classNames.add(name);
        }
        Map<String, Object> configTree = new LinkedHashMap<>();
        Map<String, String> details = new TreeMap<>();
        for (String key : props.stringPropertyNames()) {
            if (key.startsWith("config.")) {
                configTree.put(key.substring("config.".length()), scalar(props.getProperty(key)));
            } else if (key.startsWith("detail.")) {
                details.put(key.substring("detail.".length()), props.getProperty(key));
            }
        }
        C config;
        try {
            config = RecordBinder.bind(configTree, configType, "config");
        } catch (RuntimeException e) {
            throw new DataFormatException(sidecar, -1, "bad configuration: " + e.getMessage(), e);
        }
        Model<Label> tribuo = readTribuoModel(SavedModelHeader.file(directory, MODEL_FILE), shape, classNames);
        details.put(TRIBUO_PROVENANCE, ProvenanceJson.of(tribuo.getProvenance()));
        ModelProvenance provenance = new ModelProvenance(familyId, required(props, sidecar, "family-version"), config,
                parseLong(sidecar, "seed", required(props, sidecar, "seed")),
                parseInt(sidecar, "threads", required(props, sidecar, "threads")), details);
        return new TribuoClassifier(familyId, classNames, new ImageExamples(shape), tribuo, provenance);
    }

    private static Model<Label> readTribuoModel(Path file, Shape shape, List<String> classNames) {
        ModelProto proto;
        try {
            // First a streaming scan that allocates nothing the limits do not allow and checks every
            // class name Tribuo would load; only then the message is parsed.
            try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
                TribuoModelScan.check(file, in);
            }
            try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
                proto = ModelProto.parseFrom(in);
            }
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file, -1, "missing; a Tribuo model directory needs it");
        } catch (InvalidProtocolBufferException | ZipException | EOFException e) {
            throw new DataFormatException(file, -1, "not a gzip-compressed Tribuo protobuf model (truncated or"
                    + " corrupted?): " + e.getMessage(), e);
        } catch (IOException e) {
            throw new DataFormatException(file, -1, "cannot read: " + e.getMessage(), e);
        }
        if (!TOP_LEVEL_CLASSES.contains(proto.getClassName())) {
            throw new DataFormatException(file, -1, "expected a Tribuo model of class " + TOP_LEVEL_CLASSES + ", found '"
                    + Printable.of(proto.getClassName()) + "'");
        }
        requireEqualVotes(file, proto);
        Model<?> model;
        try {
            model = Model.deserialize(proto);
        } catch (RuntimeException e) {
            throw new DataFormatException(file, -1, "Tribuo could not rebuild the model: " + e.getMessage(), e);
        }
        if (!model.validate(Label.class)) {
            throw new DataFormatException(file, -1, "expected a classification (Label) model, found "
                    + model.getClass().getName());
        }
        Model<Label> labelModel = model.castModel(Label.class);
        if (labelModel.getFeatureIDMap().size() > shape.size()) {
            throw new DataFormatException(file, -1, "model has " + labelModel.getFeatureIDMap().size()
                    + " features but samples of shape " + shape + " have " + shape.size());
        }
        for (Label label : labelModel.getOutputIDInfo().getDomain()) {
            if (!classNames.contains(label.getLabel())) {
                throw new DataFormatException(file, -1, "model predicts class '" + label.getLabel()
                        + "', which is not among the saved class names " + classNames);
            }
        }
        return labelModel;
    }

    /** An ensemble must combine its members by a uniformly weighted vote, as this plugin's trainers build them. */
    private static void requireEqualVotes(Path file, ModelProto proto) {
        if (!proto.getClassName().equals("org.tribuo.ensemble.WeightedEnsembleModel")) {
            return;
        }
        WeightedEnsembleModelProto ensemble;
        try {
            ensemble = proto.getSerializedData().unpack(WeightedEnsembleModelProto.class);
        } catch (InvalidProtocolBufferException e) {
            throw new DataFormatException(file, -1, "corrupted ensemble: " + e.getMessage(), e);
        }
        if (!ensemble.getCombiner().getClassName().equals(VotingCombiner.class.getName())) {
            throw new DataFormatException(file, -1, "expected an ensemble combined by " + VotingCombiner.class.getName()
                    + ", found " + Printable.of(ensemble.getCombiner().getClassName()));
        }
        float uniform = FlatForest.uniformWeights(Math.max(1, ensemble.getWeightsCount()))[0];
        for (float weight : ensemble.getWeightsList()) {
            if (weight != uniform) {
                throw new DataFormatException(file, -1, "expected uniformly weighted ensemble members (" + uniform
                        + " each), found weights " + ensemble.getWeightsList());
            }
        }
    }

    /**
     * {@link Properties#store} output without its date comment and with the keys sorted, so that equal
     * properties give equal bytes.
     */
    private static String deterministicText(Properties props) {
        StringWriter text = new StringWriter();
        try {
            props.store(text, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        List<String> lines = new ArrayList<>(text.toString().lines().filter(l -> !l.startsWith("#")).toList());
        java.util.Collections.sort(lines);
        return "# modelbench Tribuo model: platform-side facts; the model is in " + MODEL_FILE + "\n"
                + String.join("\n", lines) + "\n";
    }

    private static byte[] gzip(ModelProto proto) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes, 1 << 16)) {
            proto.writeTo(out);
        } catch (IOException e) {
            throw new IllegalStateException("cannot compress in memory", e);
        }
        return bytes.toByteArray();
    }

    private static String required(Properties props, Path file, String key) {
        String value = props.getProperty(key);
        if (value == null) {
            throw new DataFormatException(file, -1, "expected key '" + key + "'");
        }
        return value;
    }

    private static Shape parseShape(Path file, String text) {
        try {
            String[] parts = text.split("x");
            int[] dims = new int[parts.length];
            for (int i = 0; i < parts.length; i++) {
                dims[i] = Integer.parseInt(parts[i].trim());
            }
            return new Shape(dims);
        } catch (IllegalArgumentException e) {
            throw new DataFormatException(file, -1, "sample-shape: expected e.g. 1x28x28, got '" + text + "'");
        }
    }

    private static int parseInt(Path file, String key, String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new DataFormatException(file, -1, key + ": expected an integer, got '" + text + "'");
        }
    }

    private static long parseLong(Path file, String key, String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new DataFormatException(file, -1, key + ": expected an integer, got '" + text + "'");
        }
    }

    /** A config value back as the scalar type RecordBinder expects: integer, number, boolean or text. */
    private static Object scalar(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException notInteger) {
            try {
                return Double.parseDouble(text);
            } catch (NumberFormatException notNumber) {
                return text.equals("true") || text.equals("false") ? Boolean.valueOf(text) : text;
            }
        }
    }
}
