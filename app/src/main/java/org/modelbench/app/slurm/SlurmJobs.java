package org.modelbench.app.slurm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.modelbench.app.run.Json;

/**
 * {@code <bundle>/slurm/jobs.json}: every job submitted for a bundle, oldest first. Written
 * atomically after each submission, so a failed submission leaves the ones before it recorded.
 *
 * @param jobs the submissions
 */
public record SlurmJobs(List<Job> jobs) {
    /** The file, relative to the bundle. */
    public static final String FILE = "slurm/jobs.json";

    /** What a job runs. */
    public enum Kind {
        /** An array of trials, one task per plan index. */
        TRIALS,
        /** The last job: {@code modelbench report}. */
        REPORT
    }

    /**
     * One submitted job.
     *
     * @param jobId      SLURM's job id
     * @param kind       trials or report
     * @param indices    the plan indices of its array tasks (empty for the report)
     * @param script     the script, relative to the bundle
     * @param dependency the {@code --dependency} it was submitted with, or {@code null}
     * @param submitted  when, ISO-8601 UTC
     */
    public record Job(String jobId, Kind kind, List<Integer> indices, String script, String dependency,
                      String submitted) {
        public Job {
            Objects.requireNonNull(jobId, "jobId");
            Objects.requireNonNull(kind, "kind");
            indices = indices == null ? List.of() : List.copyOf(indices);
        }

        /** The id of the array task for plan index {@code index}. */
        public String task(int index) {
            return jobId + "_" + index;
        }
    }

    public SlurmJobs {
        jobs = jobs == null ? List.of() : List.copyOf(jobs);
    }

    /** The jobs of {@code bundleRoot}; none when nothing was submitted. */
    public static SlurmJobs read(Path bundleRoot) {
        Path file = bundleRoot.resolve(FILE);
        return Files.exists(file) ? Json.read(file, SlurmJobs.class) : new SlurmJobs(List.of());
    }

    /** These jobs and {@code job}, written to {@code bundleRoot}. */
    public SlurmJobs add(Path bundleRoot, Job job) {
        List<Job> all = new ArrayList<>(jobs);
        all.add(job);
        SlurmJobs out = new SlurmJobs(all);
        Json.write(bundleRoot.resolve(FILE), out);
        return out;
    }

    /** The latest trials job that ran plan index {@code index}, or {@code null}. */
    public Job latestFor(int index) {
        for (int i = jobs.size() - 1; i >= 0; i--) {
            if (jobs.get(i).kind() == Kind.TRIALS && jobs.get(i).indices().contains(index)) {
                return jobs.get(i);
            }
        }
        return null;
    }

    /** The latest report job, or {@code null}. */
    public Job latestReport() {
        for (int i = jobs.size() - 1; i >= 0; i--) {
            if (jobs.get(i).kind() == Kind.REPORT) {
                return jobs.get(i);
            }
        }
        return null;
    }
}
