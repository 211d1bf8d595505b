package org.modelbench.examples.hello;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.modelbench.api.AtomicFiles;
import org.modelbench.api.DataFormatException;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.Model;
import org.modelbench.api.SavedModelHeader;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.api.provenance.ModelProvenance;

/**
 * A trained nearest-centroid model. Saved as three files: the {@link SavedModelHeader}, {@value #META}
 * (sample shape, class names, sharpness, seed and the centroids file's SHA-256 as {@code key=value}
 * lines; format version 2 added the checksum) and {@value #CENTROIDS}
 * (the K x D centroids as little-endian float32, class-major).
 */
final class NearestCentroidModel implements Model {
    static final int FORMAT_VERSION = 2;
    static final String META = "centroids.properties";
    static final String CENTROIDS = "centroids.f32";

    private final Shape sampleShape;
    private final List<String> classNames;
    private final float[] centroids;
    private final double sharpness;
    private final ModelProvenance provenance;

    NearestCentroidModel(Shape sampleShape, List<String> classNames, float[] centroids, double sharpness,
                         ModelProvenance provenance) {
        this.sampleShape = sampleShape;
        this.classNames = List.copyOf(classNames);
        this.centroids = centroids;
        this.sharpness = sharpness;
        this.provenance = provenance;
    }

    @Override
    public String familyId() {
        return NearestCentroidProvider.ID;
    }

    @Override
    public Shape sampleShape() {
        return sampleShape;
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public Tensor predictProbabilities(Tensor batch) {
        if (!batch.shape().withoutBatch().equals(sampleShape)) {
            throw new InvalidInputException(familyId() + ": expected inputs of shape N x " + sampleShape + ", got "
                    + batch.shape());
        }
        int n = batch.shape().dim(0);
        int k = classNames.size();
        int d = sampleShape.size();
        float[] x = batch.data();
        float[] out = new float[n * k];
        double[] distance = new double[k];
        for (int i = 0; i < n; i++) {
            double mean = 0;
            for (int c = 0; c < k; c++) {
                double sum = 0;
                for (int j = 0; j < d; j++) {
                    double diff = x[i * d + j] - centroids[c * d + j];
                    sum += diff * diff;
                }
                distance[c] = sum;
                mean += sum / k;
            }
            double scale = mean > 0 ? sharpness / mean : 0;
            double min = Double.POSITIVE_INFINITY;
            for (double v : distance) {
                min = Math.min(min, v);
            }
            double total = 0;
            for (int c = 0; c < k; c++) {
                distance[c] = Math.exp(-scale * (distance[c] - min));
                total += distance[c];
            }
            for (int c = 0; c < k; c++) {
                out[i * k + c] = (float) (distance[c] / total);
            }
        }
        return Tensor.of(Shape.of(n, k), out);
    }

    @Override
    public long parameterCount() {
        return centroids.length;
    }

    @Override
    public ModelProvenance provenance() {
        return provenance;
    }

    @Override
    public void save(Path directory) {
        StringBuilder meta = new StringBuilder();
        meta.append("sample-shape=").append(sampleShape).append('\n');
        meta.append("sharpness=").append(sharpness).append('\n');
        meta.append("seed=").append(provenance.seed()).append('\n');
        meta.append("classes=").append(classNames.size()).append('\n');
        for (int c = 0; c < classNames.size(); c++) {
            meta.append("class.").append(c).append('=').append(escape(classNames.get(c))).append('\n');
        }
        ByteBuffer bytes = ByteBuffer.allocate(centroids.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(centroids);
        meta.append("centroids-sha256=").append(sha256(bytes.array())).append('\n');
        AtomicFiles.write(directory.resolve(CENTROIDS), bytes.array());
        AtomicFiles.writeString(directory.resolve(META), meta.toString());
        new SavedModelHeader(NearestCentroidProvider.ID, FORMAT_VERSION).write(directory);
    }

    static NearestCentroidModel load(Path directory) {
        SavedModelHeader.read(directory).require(directory, NearestCentroidProvider.ID, FORMAT_VERSION);
        Path metaFile = directory.resolve(META);
        Path centroidFile = directory.resolve(CENTROIDS);
        Properties meta = new Properties();
        byte[] raw;
        try {
            meta.load(new StringReader(Files.readString(metaFile, StandardCharsets.UTF_8)));
            raw = Files.readAllBytes(centroidFile);
        } catch (IOException e) {
            throw new DataFormatException(directory, -1, "cannot read model files: " + e);
        }
        try {
            String[] dims = meta.getProperty("sample-shape").split("x");
            int[] shape = new int[dims.length];
            for (int i = 0; i < dims.length; i++) {
                shape[i] = Integer.parseInt(dims[i]);
            }
            Shape sampleShape = Shape.of(shape);
            int k = Integer.parseInt(meta.getProperty("classes"));
            List<String> classNames = new ArrayList<>();
            for (int c = 0; c < k; c++) {
                classNames.add(java.util.Objects.requireNonNull(meta.getProperty("class." + c), "class." + c));
            }
            double sharpness = Double.parseDouble(meta.getProperty("sharpness"));
            long seed = Long.parseLong(meta.getProperty("seed"));
            long expected = (long) k * sampleShape.size() * Float.BYTES;
            if (raw.length != expected) {
                throw new DataFormatException(centroidFile, Math.min(raw.length, expected), "expected " + expected
                        + " bytes (" + k + " centroids of " + sampleShape + " float32), found " + raw.length);
            }
            if (!sha256(raw).equals(meta.getProperty("centroids-sha256"))) {
                throw new DataFormatException(centroidFile, -1, "SHA-256 does not match centroids-sha256 in " + META
                        + " (corrupted or replaced)");
            }
            float[] centroids = new float[k * sampleShape.size()];
            ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(centroids);
            NearestCentroidConfig config = new NearestCentroidConfig(sharpness);
            return new NearestCentroidModel(sampleShape, classNames, centroids, sharpness,
                    new ModelProvenance(NearestCentroidProvider.ID, new NearestCentroidProvider().version(), config,
                            seed, 1, Map.of()));
        } catch (RuntimeException e) {
            if (e instanceof DataFormatException dfe) {
                throw dfe;
            }
            throw new DataFormatException(metaFile, -1, "malformed model metadata: " + e.getMessage());
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n").replace("=", "\\=").replace(":", "\\:");
    }
}
