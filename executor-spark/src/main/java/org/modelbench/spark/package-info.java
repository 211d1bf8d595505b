/**
 * The Spark executor ({@code modelbench run --executor spark}): a bundle's trials as a Spark job,
 * {@code parallelize(trials, n).map(runTrial)} with the Java API, one task per trial and
 * {@code spark.task.cpus} = the trials' threads.
 *
 * <p>Lifecycle: the driver ({@link org.modelbench.spark.SparkTrialExecutor}) ships the bundle's small
 * files ({@link org.modelbench.spark.ShippedBundle}: manifest copy, resolved config, lock, plan); each
 * executor JVM opens the bundle once ({@link org.modelbench.spark.ExecutorBundles}: its data read and
 * checked against the lock's SHA-256s), runs each task's trial with the app's trial runner
 * ({@link org.modelbench.spark.RunTrial}) and sends the trial folder's files back
 * ({@link org.modelbench.spark.TrialOutcome}); the driver writes them into the bundle atomically,
 * {@code metrics.json} last ({@link org.modelbench.spark.TrialFiles}). With a shared bundle folder the
 * executors write into the bundle themselves. Trials that read other trials ({@code after}) run in
 * later waves, as with the local executor.
 *
 * <p>This is no JPMS module (Spark is not modular): the app and this module run on the class path
 * when it is used; the app finds it through {@link org.modelbench.app.executor.TrialExecutorProvider}.
 * Spark ships the task function to its executors with Java serialization (Spark's own protocol);
 * the function's fields and every task's result are JSON bytes of this package's records.
 */
package org.modelbench.spark;
