package org.modelbench.app.executor;

import java.util.regex.Pattern;
import org.modelbench.api.ConfigException;

/**
 * The manifest's {@code executor.spark:} (and {@code --spark-master}, {@code --spark-shared-bundle}):
 * how the Spark executor reaches its cluster. No result depends on it.
 *
 * @param master       the Spark master URL: {@code local[N]} (this JVM, N task slots),
 *                     {@code local[N,F]} (F attempts per task), or {@code spark://host:port} (a
 *                     standalone cluster); default {@value #DEFAULT_MASTER}
 * @param sharedBundle whether every executor sees the bundle folder at the same path (a shared file
 *                     system): executors then write trial folders into it directly; default false, where
 *                     each trial's files come back to the driver, which writes them
 */
public record SparkSettings(String master, Boolean sharedBundle) {
    private static final Pattern MASTER = Pattern.compile(
            "local(\\[([1-9][0-9]{0,3}|\\*)(,[1-9][0-9]{0,2})?])?|spark://[A-Za-z0-9.-]+:[0-9]{1,5}(,[A-Za-z0-9.-]+:[0-9]{1,5})*");
    /** The master when none is given: two task slots in this JVM. */
    public static final String DEFAULT_MASTER = "local[2]";
    /** No settings: every default. */
    public static final SparkSettings DEFAULT = new SparkSettings(null, null);

    public SparkSettings {
        master = master == null ? DEFAULT_MASTER : master.trim();
        if (!MASTER.matcher(master).matches()) {
            throw new ConfigException("master", "expected local[N], local[N,F] or spark://host:port, got \""
                    + master + "\"");
        }
        sharedBundle = sharedBundle != null && sharedBundle;
    }

    /** These settings with {@code master} and {@code sharedBundle} replaced where not {@code null}. */
    public SparkSettings with(String master, Boolean sharedBundle) {
        return new SparkSettings(master != null ? master : this.master,
                sharedBundle != null ? sharedBundle : this.sharedBundle);
    }

    /** Whether the master runs the tasks inside the driver's JVM. */
    public boolean local() {
        return master.startsWith("local");
    }
}
