package org.modelbench.app.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A memory size as the JVM writes it: a whole number of bytes with an optional binary suffix
 * {@code k}, {@code m} or {@code g} ({@code 512m}, {@code 2g}, {@code 1048576}). At least 16 MiB.
 */
final class MemorySize implements ITypeConverter<Long> {
    private static final Pattern SIZE = Pattern.compile("([0-9]{1,12})([kmg]?)");
    private static final long MINIMUM = 16L << 20;

    @Override
    public Long convert(String value) {
        Matcher m = SIZE.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new TypeConversionException("expected a size such as 512m or 2g, got '" + value + "'");
        }
        int shift = switch (m.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 0;
        };
        long number = Long.parseLong(m.group(1));
        if (number > (Long.MAX_VALUE >> shift)) {
            throw new TypeConversionException("expected a size such as 512m or 2g, got '" + value + "' (too large)");
        }
        long bytes = number << shift;
        if (bytes < MINIMUM) {
            throw new TypeConversionException("expected a size of at least 16m, got '" + value + "'");
        }
        return bytes;
    }
}
