package org.modelbench.api;

import java.nio.file.Path;

/**
 * A data or model file that does not hold what its format promises: wrong magic number, truncated
 * content, impossible dimensions. The message names the file, the byte offset where it applies, and
 * what was expected.
 */
public class DataFormatException extends InvalidInputException {
    private final Path file;
    private final long offset;

    /**
     * @param file     the offending file
     * @param offset   the byte offset of the problem, or {@code -1} when none applies
     * @param expected what was expected and what was found
     */
    public DataFormatException(Path file, long offset, String expected) {
        super(file + (offset >= 0 ? " at byte " + offset : "") + ": " + expected);
        this.file = file;
        this.offset = offset;
    }

    public DataFormatException(Path file, long offset, String expected, Throwable cause) {
        super(file + (offset >= 0 ? " at byte " + offset : "") + ": " + expected, cause);
        this.file = file;
        this.offset = offset;
    }

    public Path file() {
        return file;
    }

    /** The byte offset of the problem, or {@code -1}. */
    public long offset() {
        return offset;
    }
}
