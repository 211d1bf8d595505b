package org.modelbench.app.manifest;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.modelbench.api.ConfigException;

/**
 * The manifest's {@code executor.slurm:}: what each array task asks SLURM for. CPUs per task are each
 * model's {@code trainer.threads}.
 *
 * @param partition   {@code --partition}, default the cluster's default partition
 * @param account     {@code --account}, default the user's default account
 * @param time        {@code --time} per trial, SLURM's format ({@code 30}, {@code 1:30:00},
 *                    {@code 1-12:00:00}); default the partition's limit
 * @param memory      {@code --mem} per trial: a size such as {@code 4g} or {@code 3500m}; default
 *                    {@value #DEFAULT_MEMORY}
 * @param modelMemory {@code --mem} of single models by model id, replacing {@code memory} for them
 */
public record SlurmSettings(String partition, String account, String time, String memory,
                            Map<String, String> modelMemory) {
    /** The memory of a trial when the manifest gives none. */
    public static final String DEFAULT_MEMORY = "4g";
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern TIME = Pattern.compile("([0-9]{1,4}-)?[0-9]{1,6}(:[0-9]{1,2}){0,2}");
    private static final Pattern SIZE = Pattern.compile("([0-9]{1,9})([kmgt]?)");

    /** No settings: every default. */
    public static final SlurmSettings DEFAULT = new SlurmSettings(null, null, null, null, null);

    public SlurmSettings {
        checkWord(partition, "partition");
        checkWord(account, "account");
        if (time != null && !TIME.matcher(time).matches()) {
            throw new ConfigException("time", "expected a SLURM time such as 30, 1:30:00 or 1-12:00:00, got \""
                    + time + "\"");
        }
        memory = memory == null ? DEFAULT_MEMORY : memory;
        megabytes(memory, "memory");
        modelMemory = modelMemory == null ? Map.of() : Map.copyOf(modelMemory);
        modelMemory.forEach((model, size) -> megabytes(size, "modelMemory." + model));
    }

    /** The memory of a trial of {@code model}, in MiB. */
    public int memoryMegabytes(String model) {
        return modelMemory.containsKey(model) ? megabytes(modelMemory.get(model), "modelMemory." + model)
                : megabytes(memory, "memory");
    }

    /**
     * {@code size} ({@code 4g}, {@code 3500m}, {@code 512}: MiB without a suffix) in MiB, at least 64.
     *
     * @throws ConfigException naming {@code key}
     */
    public static int megabytes(String size, String key) {
        Matcher m = size == null ? null : SIZE.matcher(size.trim().toLowerCase(Locale.ROOT));
        if (m == null || !m.matches()) {
            throw new ConfigException(key, "expected a size such as 4g or 3500m, got \"" + size + "\"");
        }
        long n = Long.parseLong(m.group(1));
        long mb = switch (m.group(2)) {
            case "k" -> n / 1024;
            case "g" -> n * 1024;
            case "t" -> n * 1024 * 1024;
            default -> n;
        };
        if (mb < 64 || mb > Integer.MAX_VALUE) {
            throw new ConfigException(key, "expected a size from 64m to 2048t, got \"" + size + "\"");
        }
        return (int) mb;
    }

    private static void checkWord(String value, String key) {
        if (value != null && !WORD.matcher(value).matches()) {
            throw new ConfigException(key, "expected a SLURM name of letters, digits, '.', '_' or '-', got \""
                    + value + "\"");
        }
    }
}
