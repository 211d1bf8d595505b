package org.modelbench.spark;

import java.io.IOException;
import java.util.Map;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.function.Function;
import org.modelbench.api.InvalidInputException;
import org.modelbench.app.run.TrialPlan;

/**
 * The task function: runs the trial of one id on an executor with the app's trial runner and returns
 * its {@link TrialOutcome} as JSON bytes. A user mistake ({@link InvalidInputException}, which includes
 * data files whose SHA-256 differs from the lock) comes back as the outcome's one-line message, so that
 * the driver fails the job at once instead of Spark retrying a mistake; any other failure is thrown,
 * and Spark retries the task.
 */
final class RunTrial implements Function<String, byte[]> {
    private static final long serialVersionUID = 1L;
    private final byte[] bundle;
    private final byte[] inputs;

    /**
     * @param bundle the {@link ShippedBundle}'s bytes
     * @param inputs JSON of the finished trials this wave's trials read: trial id to its files
     */
    RunTrial(byte[] bundle, byte[] inputs) {
        this.bundle = bundle.clone();
        this.inputs = inputs.clone();
    }

    @Override
    public byte[] call(String id) throws IOException {
        String executor = "executor " + executorId() + " on " + java.net.InetAddress.getLocalHost().getHostName();
        long start = System.nanoTime();
        ExecutorBundles.Opened opened;
        try {
            opened = ExecutorBundles.open(ShippedBundle.key(bundle), ShippedBundle.decode(bundle));
        } catch (InvalidInputException e) {
            return new TrialOutcome(id, executor + ": " + e.getMessage(), executor, 0, Map.of()).encode();
        }
        try {
            TrialPlan.PlannedTrial trial = opened.opened().trials().byId(id);
            opened.provide(Wire.MAPPER.readValue(inputs, new com.fasterxml.jackson.core.type.TypeReference<
                    Map<String, Map<String, byte[]>>>() { }));
            opened.runner().runTrial(opened.opened(), trial);
            return new TrialOutcome(id, null, executor, (System.nanoTime() - start) / 1e9, opened.take(trial)).encode();
        } catch (InvalidInputException e) {
            return new TrialOutcome(id, opened.onDriver(e.getMessage()), executor, 0, Map.of()).encode();
        }
    }

    private static String executorId() {
        SparkEnv env = SparkEnv.get();
        return env == null ? "?" : env.executorId();
    }
}
