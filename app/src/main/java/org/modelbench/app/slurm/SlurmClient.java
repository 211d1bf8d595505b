package org.modelbench.app.slurm;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The SLURM commands the executor uses: {@code sbatch}, {@code squeue}, {@code sacct}. */
public interface SlurmClient {
    /**
     * Submits {@code script} with {@code options} before it ({@code --dependency=...}).
     *
     * @return the job id
     * @throws org.modelbench.api.InvalidInputException when SLURM is not installed or refuses the job,
     *         with sbatch's own message
     */
    String submit(Path script, List<String> options);

    /**
     * The user's queued and running jobs, one entry per array task ({@code 123_4}; a plain job is
     * {@code 123}) with its state ({@code PENDING}, {@code RUNNING}, ...), or empty when
     * {@code squeue} is not available here.
     */
    Optional<Map<String, String>> queue();

    /**
     * The final states of the array tasks of {@code jobIds} ({@code 123_4 -> FAILED}), or empty
     * when accounting is not available here.
     */
    Optional<Map<String, String>> accounting(List<String> jobIds);

    /** Why {@link #queue()} was empty the last time, e.g. {@code squeue: not installed}. */
    default String queueProblem() {
        return "squeue cannot be run here";
    }
}
