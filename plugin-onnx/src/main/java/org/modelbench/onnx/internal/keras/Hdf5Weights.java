package org.modelbench.onnx.internal.keras;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Supplier;
import org.modelbench.api.InvalidInputException;

/**
 * Reads the parts of an HDF5 file (through jHDF, pure Java) that Keras writes: groups, string
 * attributes and float datasets. Every size the file claims is checked before data is read: a
 * dataset's rank and number of values, its bytes against the storage the file holds for it (a
 * header may claim 2^40 values that are not there), an attribute's bytes against a bound. Errors are
 * one line naming the file and the path inside it.
 */
final class Hdf5Weights {
    /** The largest string attribute read (a model config). */
    static final long MAX_ATTRIBUTE_BYTES = 64L << 20;
    private static final int MAX_RANK = 8;

    private final Path file;
    private final HdfFile hdf;
    private final String where;
    private final long length;

    /**
     * @param where  how errors name the HDF5 data, e.g. {@code "model.weights.h5 "} inside a .keras file, or ""
     * @param length the bytes of the HDF5 data present
     */
    Hdf5Weights(Path file, HdfFile hdf, String where, long length) {
        this.file = file;
        this.hdf = hdf;
        this.where = where;
        this.length = length;
    }

    /** Runs {@code read}, turning jHDF's failures on a broken file into one line naming {@code file}. */
    static <T> T guard(Path file, String what, Supplier<T> read) {
        try {
            return read.get();
        } catch (InvalidInputException e) {
            throw e;
        } catch (RuntimeException | OutOfMemoryError | InternalError e) { // InternalError: a mapped read past the end
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new InvalidInputException(file + ": " + what + ": not readable HDF5 (truncated or corrupt?): "
                    + m.lines().findFirst().orElse(""));
        }
    }

    /**
     * Checks that the HDF5 data whose first bytes are {@code head} is as long as its superblock says
     * ({@code length} bytes present), so a truncated file is refused before anything else is read.
     */
    static void checkLength(Path file, String what, byte[] head, long length) {
        long eof = guard(file, what, () -> {
            io.jhdf.Superblock sb = io.jhdf.Superblock.readSuperblock(java.nio.ByteBuffer.wrap(head)
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN));
            return sb.getBaseAddressByte() + sb.getEndOfFileAddress();
        });
        if (eof > length) {
            throw new InvalidInputException(file + ": " + what + ": truncated: its HDF5 superblock says " + eof
                    + " bytes, " + length + " are present");
        }
    }

    /** The node at {@code path}, or null. */
    Node node(String path) {
        return guard(file, where + path, () -> {
            try {
                return hdf.getByPath(path);
            } catch (io.jhdf.exceptions.HdfInvalidPathException e) {
                return null;
            }
        });
    }

    /** The group at {@code path}, or null when absent; an error when it is something else. */
    Group group(String path) {
        Node n = node(path);
        if (n != null && !(n instanceof Group)) {
            throw new InvalidInputException(file + ": " + where + path + ": expected a group, found a dataset");
        }
        return (Group) n;
    }

    /** The strings of attribute {@code name} of {@code node} (one or a list), or null when absent. */
    String[] strings(Node node, String name) {
        String at = where + (node.getPath().isEmpty() ? "/" : node.getPath()) + "@" + name;
        return guard(file, at, () -> {
            Attribute a = node.getAttribute(name);
            if (a == null) {
                return null;
            }
            if (a.getSizeInBytes() > MAX_ATTRIBUTE_BYTES || a.getSizeInBytes() < 0) {
                throw new InvalidInputException(file + ": " + at + ": " + a.getSizeInBytes()
                        + " bytes; expected at most " + MAX_ATTRIBUTE_BYTES);
            }
            if (a.isEmpty()) {
                return new String[0];
            }
            Object data = a.getData();
            if (data instanceof String s) {
                return new String[] {s};
            }
            if (data instanceof String[] list) {
                return list;
            }
            throw new InvalidInputException(file + ": " + at + ": expected a string or a list of strings, got "
                    + a.getJavaType().getSimpleName());
        });
    }

    /** The float dataset at {@code path}, as the weight {@code name}. */
    KerasWeight weight(String path, String name) {
        String at = where + path;
        return guard(file, at, () -> {
            Node n;
            try {
                n = hdf.getByPath(path);
            } catch (io.jhdf.exceptions.HdfInvalidPathException e) {
                throw new InvalidInputException(file + ": " + at + ": missing (weight " + name + ")");
            }
            if (!(n instanceof Dataset d)) {
                throw new InvalidInputException(file + ": " + at + ": expected a dataset (weight " + name + ")");
            }
            int[] shape = d.isScalar() ? new int[0] : d.getDimensions();
            if (shape.length > MAX_RANK) {
                throw new InvalidInputException(file + ": " + at + ": rank " + shape.length + "; expected at most "
                        + MAX_RANK + " axes");
            }
            long count = 1;
            for (int s : shape) {
                if (s < 0) {
                    throw new InvalidInputException(file + ": " + at + ": shape " + Arrays.toString(shape));
                }
                count *= s;
                if (count > KerasModel.MAX_WEIGHT_VALUES) {
                    throw new InvalidInputException(file + ": " + at + ": shape " + Arrays.toString(shape)
                            + " claims more than " + KerasModel.MAX_WEIGHT_VALUES + " values");
                }
            }
            Class<?> type = d.getJavaType();
            if (type != float.class && type != double.class) {
                throw new InvalidInputException(file + ": " + at + ": " + type.getSimpleName()
                        + " values; expected float32 or float64");
            }
            long bytes = count * d.getDataType().getSize();
            long stored = d.getStorageInBytes();
            boolean filtered = !d.getFilters().isEmpty();
            // unfiltered data must be all there; deflate expands at most ~1032 times
            if (filtered ? bytes > stored * 1100 : stored < bytes || bytes > length) {
                throw new InvalidInputException(file + ": " + at + ": shape " + Arrays.toString(shape) + " needs "
                        + bytes + " bytes but the file holds " + Math.min(stored, length) + " for it");
            }
            Object flat = d.getDataFlat();
            float[] v = new float[(int) count];
            if (flat instanceof float[] f && f.length == count) {
                System.arraycopy(f, 0, v, 0, v.length);
            } else if (flat instanceof double[] g && g.length == count) {
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) g[i];
                }
            } else {
                throw new InvalidInputException(file + ": " + at + ": read " + Array.getLength(flat) + " values for shape "
                        + Arrays.toString(shape));
            }
            return new KerasWeight(name, shape, v);
        });
    }
}
