package org.modelbench.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.ModelbenchException;
import org.modelbench.app.executor.ExecutorContext;
import org.modelbench.app.executor.SparkSettings;
import org.modelbench.app.manifest.ExperimentPlan;
import org.modelbench.app.run.Bundle;
import org.modelbench.app.run.ExperimentRunner;
import org.modelbench.app.run.TrialExecutor;
import org.modelbench.app.run.TrialPlan;
import scala.runtime.BoxedUnit;

/**
 * The driver of {@code --executor spark}: runs a bundle's unfinished trials as Spark jobs, one wave at
 * a time (a trial runs after the trials of its {@code after} list, as with the local executor), each
 * wave {@code parallelize(ids, n).map(runTrial)} with one task per trial. As each task finishes the
 * driver writes its trial folder into the bundle (atomically, {@code metrics.json} last) and prints
 * a progress line (trials done, rate, ETA), so an interrupted run resumes from the trials it finished.
 */
final class SparkTrialExecutor implements TrialExecutor {
    private static final Pattern LOCAL_SLOTS = Pattern.compile("local\\[(\\d+)(,\\d+)?]");
    /** JVM options of every executor: the engine's Vector API kernel (the same numbers as the launcher's). */
    static final String EXECUTOR_JAVA_OPTIONS = "--add-modules=jdk.incubator.vector -Djava.awt.headless=true "
            + "-XX:+UseSerialGC";
    /** The engine's kernel selection ({@code Sgemm.BLAS_PROPERTY}; this module does not depend on the engine). */
    static final String BLAS_PROPERTY = "modelbench.engine.blas";
    private final ExecutorContext context;

    SparkTrialExecutor(ExecutorContext context) {
        this.context = context;
    }

    @Override
    public void execute(List<TrialPlan.PlannedTrial> trials, Consumer<TrialPlan.PlannedTrial> run) {
        throw new IllegalStateException("the Spark executor runs the trials of an opened bundle");
    }

    @Override
    public void execute(ExperimentRunner.Opened opened, List<TrialPlan.PlannedTrial> trials,
                        Consumer<TrialPlan.PlannedTrial> run) {
        Bundle bundle = opened.bundle();
        List<TrialPlan.PlannedTrial> pending = trials.stream()
                .filter(t -> !Files.isRegularFile(bundle.trial(t).resolve(Bundle.METRICS))).toList();
        if (pending.isEmpty()) {
            return;
        }
        SparkSettings settings = context.spark();
        int cpus = pending.stream().mapToInt(t -> threads(opened.plan(), t)).max().orElse(1);
        checkSlots(settings, cpus, opened.plan(), pending);
        byte[] shipped = ShippedBundle.of(bundle, context.dataDirectory(), context.pluginsDirectory(),
                settings.sharedBundle()).encode();
        String key = ShippedBundle.key(shipped);
        JobProgress progress = new JobProgress(context.progress(), trials.size(), trials.size() - pending.size());
        context.progress().line("spark: " + pending.size() + " trial(s) on " + settings.master() + ", spark.task.cpus="
                + cpus + (settings.sharedBundle() ? ", executors write into the shared bundle folder" : ""));
        JavaSparkContext spark = start(settings, cpus, bundle);
        spark.sc().addSparkListener(progress);
        try {
            Set<String> left = new HashSet<>();
            pending.forEach(t -> left.add(t.id()));
            List<TrialPlan.PlannedTrial> queue = new ArrayList<>(pending);
            while (!queue.isEmpty()) {
                List<TrialPlan.PlannedTrial> wave = queue.stream()
                        .filter(t -> t.after().stream().noneMatch(left::contains)).toList();
                if (wave.isEmpty()) {
                    throw new ModelbenchException("trials " + queue.stream().map(TrialPlan.PlannedTrial::id).toList()
                            + " wait for each other; expected an order without cycles");
                }
                runWave(spark, opened, wave, shipped, progress);
                wave.forEach(t -> left.remove(t.id()));
                queue.removeAll(wave);
            }
        } finally {
            spark.stop();
            ExecutorBundles.close(key);
        }
    }

    /** One Spark job: a task per trial of {@code wave}; each finished task's folder is written at once. */
    private void runWave(JavaSparkContext spark, ExperimentRunner.Opened opened, List<TrialPlan.PlannedTrial> wave,
                         byte[] shipped, JobProgress progress) {
        List<String> ids = wave.stream().map(TrialPlan.PlannedTrial::id).toList();
        byte[] inputs = inputs(opened, wave);
        String group = "modelbench-wave-" + System.nanoTime();
        progress.wave(wave);
        spark.setJobGroup(group, "modelbench trials " + ids.get(0) + (ids.size() > 1 ? " and " + (ids.size() - 1)
                + " more" : ""), true);
        JavaRDD<byte[]> outcomes = spark.parallelize(ids, ids.size()).map(new RunTrial(shipped, inputs));
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        scala.Function1<scala.collection.Iterator<byte[]>, byte[]> only =
                (scala.Function1<scala.collection.Iterator<byte[]>, byte[]> & java.io.Serializable) it -> it.next();
        scala.Function2<Object, byte[], BoxedUnit> written = (index, bytes) -> {
            try {
                TrialOutcome outcome = TrialOutcome.decode(bytes);
                TrialPlan.PlannedTrial trial = wave.get((Integer) index);
                if (outcome.userError() != null) {
                    throw new InvalidInputException(outcome.userError());
                }
                TrialFiles.Recorded metrics = context.spark().sharedBundle()
                        ? TrialFiles.Recorded.read(opened.bundle().trial(trial).resolve(Bundle.METRICS))
                        : TrialFiles.write(opened.bundle().trial(trial), outcome.files());
                progress.finished(trial, outcome, metrics);
            } catch (RuntimeException e) {
                if (failure.compareAndSet(null, e)) {
                    spark.sc().cancelJobGroup(group);
                }
            }
            return BoxedUnit.UNIT;
        };
        @SuppressWarnings("unchecked")
        scala.reflect.ClassTag<byte[]> tag = (scala.reflect.ClassTag<byte[]>) (scala.reflect.ClassTag<?>)
                scala.reflect.ClassTag$.MODULE$.apply(byte[].class);
        java.util.concurrent.ScheduledExecutorService watchdog = java.util.concurrent.Executors
                .newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "modelbench-spark-watchdog");
                    t.setDaemon(true);
                    return t;
                });
        int cpus = Integer.parseInt(spark.getConf().get("spark.task.cpus"));
        long waveStart = System.nanoTime();
        int startedBefore = progress.started();
        watchdog.scheduleWithFixedDelay(() -> {
            RuntimeException stuck = progress.started() > startedBefore ? null
                    : progress.unschedulable(cpus, (System.nanoTime() - waveStart) / 1e9,
                            context.spark().master());
            if (stuck != null && failure.compareAndSet(null, stuck)) {
                spark.sc().cancelJobGroup(group);
            }
        }, 15, 15, java.util.concurrent.TimeUnit.SECONDS);
        try {
            spark.sc().runJob(outcomes.rdd(), only, written, tag);
        } catch (Exception e) { // SparkException is a checked exception that Scala throws undeclared
            if (failure.get() == null) {
                throw new ModelbenchException("the Spark job failed: " + rootMessage(e), e);
            }
        } finally {
            watchdog.shutdownNow();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }


    /** The finished trials (outside the wave) that the wave's trials read, by id: none with a shared bundle. */
    private byte[] inputs(ExperimentRunner.Opened opened, List<TrialPlan.PlannedTrial> wave) {
        Map<String, Map<String, byte[]>> inputs = new LinkedHashMap<>();
        if (!context.spark().sharedBundle()) {
            for (TrialPlan.PlannedTrial trial : wave) {
                for (String before : trial.after()) {
                    inputs.computeIfAbsent(before, id -> TrialFiles.read(opened.bundle().trial(opened.trials().byId(id))));
                }
            }
        }
        try {
            return Wire.MAPPER.writeValueAsBytes(inputs);
        } catch (IOException e) {
            throw new ModelbenchException("cannot encode the inputs of " + wave.get(0).id() + ": " + e.getMessage(), e);
        }
    }

    private static JavaSparkContext start(SparkSettings settings, int cpus, Bundle bundle) {
        SparkConf conf = new SparkConf(true)
                .setMaster(settings.master())
                .setAppName("modelbench " + bundle.root().getParent().getFileName() + "/" + bundle.root().getFileName())
                .set("spark.task.cpus", Integer.toString(cpus))
                .setIfMissing("spark.ui.enabled", "false")
                .setIfMissing("spark.task.maxFailures", "4")
                .setIfMissing("spark.driver.maxResultSize", "2g");
        String options = conf.get("spark.executor.extraJavaOptions", "");
        conf.set("spark.executor.extraJavaOptions", (EXECUTOR_JAVA_OPTIONS + blasSelection() + " " + options).strip());
        if (settings.local()) {
            conf.remove("spark.jars"); // the tasks run in this JVM, on its class path
        }
        if (settings.local() || settings.master().matches("spark://(127\\.[0-9.]+|localhost):.*")) {
            conf.setIfMissing("spark.driver.host", "127.0.0.1").setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        JavaSparkContext spark = new JavaSparkContext(conf);
        spark.setLogLevel("WARN");
        return spark;
    }

    /**
     * The driver's choice of the engine's SGEMM kernel ({@code -Dmodelbench.engine.blas}, which the launcher sets
     * from {@code MODELBENCH_BLAS}) as an executor option, so that executors multiply with the same kernel; {@code ""}
     * when the driver has none (the executors then choose as the driver did: OpenBLAS when it loads).
     */
    static String blasSelection() {
        String blas = System.getProperty(BLAS_PROPERTY, "");
        return blas.matches("[a-z]+") ? " -D" + BLAS_PROPERTY + "=" + blas : "";
    }

    /** In local mode Spark has N slots: a trial wanting more threads would never be scheduled. */
    private static void checkSlots(SparkSettings settings, int cpus, ExperimentPlan plan,
                                   List<TrialPlan.PlannedTrial> pending) {
        Matcher m = LOCAL_SLOTS.matcher(settings.master());
        int slots = settings.master().equals("local") ? 1
                : m.matches() ? Integer.parseInt(m.group(1)) : Integer.MAX_VALUE;
        if (cpus > slots) {
            TrialPlan.PlannedTrial widest = pending.stream().filter(t -> threads(plan, t) == cpus).findFirst().orElseThrow();
            throw new InvalidInputException("--spark-master " + settings.master() + " has " + slots + " task slot(s) but "
                    + "model '" + widest.model() + "' uses " + cpus + " threads (trainer.threads, spark.task.cpus); "
                    + "expected local[N] with N >= " + cpus + ", or fewer threads");
        }
    }

    private static int threads(ExperimentPlan plan, TrialPlan.PlannedTrial trial) {
        return plan.models().stream().filter(m -> m.spec().id().equals(trial.model())).findFirst()
                .map(m -> m.spec().trainer().threads()).orElse(1);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        String first = message.lines().findFirst().orElse(message);
        return root == e ? first : first + " (" + root + ")";
    }

    /** Progress lines of the driver: each trial when it starts and finishes, trials done, rate and ETA. */
    static final class JobProgress extends SparkListener {
        private final org.modelbench.app.run.Progress out;
        private final int total;
        private final int before;
        private final long start = System.nanoTime();
        private int done;

        JobProgress(org.modelbench.app.run.Progress out, int total, int before) {
            this.out = out;
            this.total = total;
            this.before = before;
        }

        private volatile List<TrialPlan.PlannedTrial> wave = List.of();
        private final java.util.concurrent.atomic.AtomicInteger started = new java.util.concurrent.atomic.AtomicInteger();
        private final java.util.Map<String, Integer> executorCores = new java.util.concurrent.ConcurrentHashMap<>();

        /** Tasks started so far. */
        int started() {
            return started.get();
        }

        @Override
        public void onExecutorAdded(org.apache.spark.scheduler.SparkListenerExecutorAdded added) {
            executorCores.put(added.executorId(), added.executorInfo().totalCores());
        }

        @Override
        public void onExecutorRemoved(org.apache.spark.scheduler.SparkListenerExecutorRemoved removed) {
            executorCores.remove(removed.executorId());
        }

        /**
         * Why a wave that has started no task after {@code seconds} never will, or {@code null}: on a
         * cluster, every executor has fewer cores than a task asks for (a user mistake), or no executor
         * came at all within five minutes.
         */
        RuntimeException unschedulable(int cpus, double seconds, String master) {
            if (master.startsWith("local")) {
                return null;
            }
            int most = executorCores.values().stream().mapToInt(Integer::intValue).max().orElse(0);
            if (most > 0 && most < cpus && seconds >= 60) {
                return new InvalidInputException(master + ": every executor has at most " + most + " core(s) but "
                        + "spark.task.cpus is " + cpus + " (the trials' trainer.threads); expected executors with >= "
                        + cpus + " cores (SPARK_WORKER_CORES for scripts/spark-standalone.sh) or trainer.threads <= "
                        + most);
            }
            if (most == 0 && seconds >= 300) {
                return new ModelbenchException(master + ": no executor registered in " + Math.round(seconds)
                        + " s; expected a running cluster with free workers");
            }
            return null;
        }

        /** The trials of the job that runs next, task index = position. */
        void wave(List<TrialPlan.PlannedTrial> trials) {
            wave = List.copyOf(trials);
        }

        @Override
        public void onTaskStart(SparkListenerTaskStart taskStart) {
            started.incrementAndGet();
            List<TrialPlan.PlannedTrial> trials = wave;
            int index = taskStart.taskInfo().index();
            if (index < trials.size()) {
                TrialPlan.PlannedTrial trial = trials.get(index);
                int attempt = taskStart.taskInfo().attemptNumber();
                out.line(String.format("[%d/%d] %s: started on executor %s (%s)%s", trial.index() + 1, total,
                        trial.label(), taskStart.taskInfo().executorId(), taskStart.taskInfo().host(),
                        attempt > 0 ? ", attempt " + (attempt + 1) : ""));
            }
        }

        synchronized void finished(TrialPlan.PlannedTrial trial, TrialOutcome outcome, TrialFiles.Recorded metrics) {
            done++;
            double elapsed = (System.nanoTime() - start) / 1e9;
            double perTrial = elapsed / done;
            int left = total - before - done;
            out.line(String.format("[%d/%d] %s: done on %s, %s %.4f (%.1f s); %d/%d trials done, "
                            + "%.2f trials/min, ETA %s", trial.index() + 1, total, trial.label(), outcome.executor(),
                    metrics.scoreLabel(), metrics.score(), outcome.seconds(), before + done, total, 60 * done / Math.max(elapsed, 1e-9),
                    org.modelbench.app.run.Progress.duration(perTrial * left)));
        }
    }
}
