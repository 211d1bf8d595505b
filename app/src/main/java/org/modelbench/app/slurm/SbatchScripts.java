package org.modelbench.app.slurm;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The text of the {@code sbatch} scripts written into {@code <bundle>/slurm/}. Each runs the launcher
 * (an absolute path on the shared file system) with the submitting command's {@code --data-dir},
 * {@code --plugins-dir} and {@code --max-memory}, never rebuilding the project
 * ({@code MODELBENCH_NO_BUILD=1}), with a JVM heap of 3/4 of the task's memory unless
 * {@code MODELBENCH_JAVA_OPTS} sets one.
 */
public final class SbatchScripts {
    /** Where the tasks' logs go, relative to the bundle. */
    public static final String LOGS = "slurm/logs";

    private SbatchScripts() {
    }

    /** The log of the array task for plan index {@code index} of job {@code jobId}, relative to the bundle. */
    public static String trialLog(int index, String jobId) {
        return LOGS + "/trial-" + index + "-job-" + jobId + ".out";
    }

    /**
     * An array script: one task per index of {@code group}, each running
     * {@code modelbench trial BUNDLE --index $SLURM_ARRAY_TASK_ID}.
     *
     * @param jobName  the job name
     * @param bundle   the bundle folder, absolute
     * @param launcher the {@code modelbench} launcher, absolute
     * @param options  options before the subcommand ({@code --data-dir DIR}, ...)
     * @param total    the plan's trial count, for the header comment
     */
    public static String trials(ArrayGroup group, String jobName, Path bundle, Path launcher, List<String> options,
                                int total) {
        TaskResources r = group.resources();
        StringBuilder s = new StringBuilder("#!/bin/bash\n");
        s.append("# Written by 'modelbench run --executor slurm': trials ").append(group.arraySpec()).append(" of ")
                .append(total).append(" (plan.json indices)\n# of the bundle ").append(bundle)
                .append(", one array task per trial.\n# Failed or missing trials are resubmitted by "
                        + "'modelbench run --resume BUNDLE --executor slurm'.\n");
        s.append("#SBATCH --job-name=").append(jobName).append('\n');
        s.append("#SBATCH --array=").append(group.arraySpec()).append('\n');
        s.append("#SBATCH --ntasks=1\n");
        s.append("#SBATCH --cpus-per-task=").append(r.cpus()).append('\n');
        s.append("#SBATCH --mem=").append(r.memoryMb()).append("M\n");
        header(s, r.partition(), r.account(), r.time());
        s.append("#SBATCH --output=").append(bundle).append('/').append(LOGS).append("/trial-%a-job-%A.out\n");
        body(s, r.heapMb());
        s.append("exec ").append(command(launcher, options)).append(" trial ").append(quote(bundle.toString()))
                .append(" --index \"$SLURM_ARRAY_TASK_ID\"\n");
        return s.toString();
    }

    /** The last job: {@code modelbench report BUNDLE}, one CPU, 2 GiB. */
    public static String report(String jobName, Path bundle, Path launcher, List<String> options,
                                TaskResources where) {
        StringBuilder s = new StringBuilder("#!/bin/bash\n");
        s.append("# Written by 'modelbench run --executor slurm': the report of the bundle ").append(bundle)
                .append(",\n# run once every trial job has ended (--dependency=afterany).\n");
        s.append("#SBATCH --job-name=").append(jobName).append("-report\n");
        s.append("#SBATCH --ntasks=1\n#SBATCH --cpus-per-task=1\n#SBATCH --mem=2048M\n");
        header(s, where.partition(), where.account(), where.time());
        s.append("#SBATCH --output=").append(bundle).append('/').append(LOGS).append("/report-job-%j.out\n");
        body(s, 1536);
        s.append("exec ").append(command(launcher, options)).append(" report ").append(quote(bundle.toString()))
                .append('\n');
        return s.toString();
    }

    private static void header(StringBuilder s, String partition, String account, String time) {
        if (partition != null) {
            s.append("#SBATCH --partition=").append(partition).append('\n');
        }
        if (account != null) {
            s.append("#SBATCH --account=").append(account).append('\n');
        }
        if (time != null) {
            s.append("#SBATCH --time=").append(time).append('\n');
        }
    }

    private static void body(StringBuilder s, int heapMb) {
        s.append("set -euo pipefail\n");
        s.append("export MODELBENCH_NO_BUILD=1\n");
        s.append("export MODELBENCH_JAVA_OPTS=\"-Xmx").append(heapMb).append("m ${MODELBENCH_JAVA_OPTS:-}\"\n");
    }

    private static String command(Path launcher, List<String> options) {
        return quote(launcher.toString()) + (options.isEmpty() ? ""
                : " " + options.stream().map(SbatchScripts::quote).collect(Collectors.joining(" ")));
    }

    /** {@code text} as one shell word. */
    static String quote(String text) {
        return text.matches("[A-Za-z0-9_./=:,+@-]+") ? text : "'" + text.replace("'", "'\\''") + "'";
    }
}
