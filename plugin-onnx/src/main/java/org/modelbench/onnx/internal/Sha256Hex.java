package org.modelbench.onnx.internal;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 digests as hex strings: of files' bytes, and of several parts at once (length-prefixed). */
public final class Sha256Hex {
    private Sha256Hex() {
    }

    /** SHA-256 of the given parts, each prefixed by its length, hex. */
    public static String sha256(byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (byte[] p : parts) {
                md.update(ByteBuffer.allocate(4).putInt(p.length).array());
                md.update(p);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA-256 of bytes, hex (as {@code sha256sum} prints it). */
    public static String sha256Plain(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
