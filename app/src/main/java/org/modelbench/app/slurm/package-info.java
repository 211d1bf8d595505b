/**
 * The SLURM executor: a bundle's trials as {@code sbatch} job arrays on a cluster with a shared file
 * system. {@link org.modelbench.app.slurm.SlurmSubmitter} writes one array script per group of trials
 * with the same resources and dependency wave into {@code <bundle>/slurm/} (one array task per plan
 * index, each calling {@code modelbench trial BUNDLE --index $SLURM_ARRAY_TASK_ID}), submits them with
 * {@code sbatch --parsable} and a last {@code --dependency=afterany} job that runs
 * {@code modelbench report BUNDLE}, and records every submission in {@code slurm/jobs.json}.
 * {@link org.modelbench.app.slurm.TrialStates} reads a bundle's trial folders with {@code squeue} and
 * {@code sacct} to tell each trial done, running, pending, failed or missing; resuming resubmits the
 * failed and missing ones only. The cluster is reached through {@link org.modelbench.app.slurm.SlurmClient}
 * (SLURM's own commands), so everything but the commands themselves is tested without a cluster.
 */
package org.modelbench.app.slurm;
