package org.modelbench.spark;

import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import org.modelbench.api.ModelbenchException;

/**
 * What a task sends back: the trial's folder (or nothing, when the executor wrote it into a shared
 * bundle), or the one-line message of a user mistake, which fails the job without retries. Sent as
 * JSON bytes.
 *
 * @param id        the trial id
 * @param userError the message of a user mistake, or {@code null}
 * @param executor  which executor ran it, e.g. {@code executor 1 on host}
 * @param seconds   wall time of the task's trial
 * @param files     the trial folder's files by relative path ({@code /}-separated); empty with a shared
 *                  bundle or an error
 */
public record TrialOutcome(String id, String userError, String executor, double seconds, Map<String, byte[]> files) {
    public TrialOutcome {
        Objects.requireNonNull(id, "id");
        files = files == null ? Map.of() : Map.copyOf(files);
    }

    byte[] encode() {
        try {
            return Wire.MAPPER.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new ModelbenchException("cannot encode the result of trial " + id + ": " + e.getMessage(), e);
        }
    }

    static TrialOutcome decode(byte[] bytes) {
        try {
            return Wire.MAPPER.readValue(bytes, TrialOutcome.class);
        } catch (IOException e) {
            throw new ModelbenchException("cannot read a task's result: " + e.getMessage(), e);
        }
    }
}
