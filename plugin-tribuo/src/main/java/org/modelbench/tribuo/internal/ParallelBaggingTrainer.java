package org.modelbench.tribuo.internal;

import com.oracle.labs.mlrg.olcut.provenance.ListProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.tribuo.Dataset;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.ensemble.VotingCombiner;
import org.tribuo.common.tree.DecisionTreeTrainer;
import org.tribuo.dataset.DatasetView;
import org.tribuo.ensemble.BaggingTrainer;
import org.tribuo.ensemble.WeightedEnsembleModel;
import org.tribuo.provenance.EnsembleModelProvenance;
import org.tribuo.provenance.TrainerProvenance;

/**
 * Tribuo's bagging ({@code RandomForestTrainer} / {@code ExtraTreesTrainer}, which train their members
 * one after another) with the members trained on {@code threads} threads.
 *
 * <p>Everything a member depends on is fixed before any member starts, by the rules of Tribuo's
 * {@code BaggingTrainer.train} for a fresh trainer: the bootstrap seed of member {@code i} is the
 * {@code i}-th {@code nextInt()} of {@code new SplittableRandom(seed).split()}, its bootstrap sample
 * is {@code DatasetView.createBootstrapView} with that seed, and the tree trainer trains it with
 * invocation count {@code i} (Tribuo's CART then splits its RNG {@code i} times, so the feature
 * sampling of tree {@code i} depends on the tree seed and {@code i} only). The members are put in
 * index order whatever order they finish in, so the ensemble is the one Tribuo's sequential trainer
 * builds, bit for bit, for any thread count. A {@link HistogramCartTrainer} bins the data once
 * before the members start. {@code memberFinished} runs after each member, on the thread that
 * trained it.
 */
final class ParallelBaggingTrainer implements Trainer<Label> {
    private final BaggingTrainer<Label> tribuo;
    private final String ensembleName;
    private final DecisionTreeTrainer<Label> tree;
    private final int members;
    private final long seed;
    private final int threads;
    private final Runnable memberFinished;

    /**
     * @param tribuo       the Tribuo bagging trainer with the same tree trainer, member count and
     *                     seed, whose provenance the ensemble records
     * @param ensembleName the name Tribuo's trainer gives its ensembles
     */
    ParallelBaggingTrainer(BaggingTrainer<Label> tribuo, String ensembleName, DecisionTreeTrainer<Label> tree,
                           int members, long seed, int threads, Runnable memberFinished) {
        if (members < 1 || threads < 1) {
            throw new IllegalArgumentException("members and threads must be >= 1, got " + members + " and " + threads);
        }
        this.tribuo = tribuo;
        this.ensembleName = ensembleName;
        this.tree = tree;
        this.members = members;
        this.seed = seed;
        this.threads = threads;
        this.memberFinished = memberFinished;
    }

    @Override
    public Model<Label> train(Dataset<Label> examples, Map<String, Provenance> runProvenance) {
        TrainerProvenance trainerProvenance = tribuo.getProvenance();
        ImmutableFeatureMap features = examples.getFeatureIDMap();
        ImmutableOutputInfo<Label> labels = examples.getOutputIDInfo();
        SplittableRandom memberSeeds = new SplittableRandom(seed).split();
        int[] bootstrapSeeds = new int[members];
        for (int i = 0; i < members; i++) {
            bootstrapSeeds[i] = memberSeeds.nextInt();
        }
        if (tree instanceof HistogramCartTrainer histogram) {
            histogram.prepare(examples);
        }
        int firstInvocation = tree.getInvocationCount();
        List<Model<Label>> models = new ArrayList<>(members);
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, members), r -> {
            Thread t = new Thread(r, "tribuo-forest");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Model<Label>>> futures = new ArrayList<>(members);
            for (int i = 0; i < members; i++) {
                int member = i;
                futures.add(pool.submit(() -> {
                    DatasetView<Label> bag = DatasetView.createBootstrapView(examples, examples.size(),
                            bootstrapSeeds[member], features, labels);
                    Model<Label> model = tree.train(bag, runProvenance, firstInvocation + member);
                    memberFinished.run();
                    return model;
                }));
            }
            for (Future<Model<Label>> future : futures) {
                models.add(future.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while training the forest", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        } finally {
            pool.shutdownNow();
            if (tree instanceof HistogramCartTrainer histogram) {
                histogram.prepare(null);
            }
        }
        EnsembleModelProvenance provenance = new EnsembleModelProvenance(WeightedEnsembleModel.class.getName(),
                OffsetDateTime.now(), examples.getProvenance(), trainerProvenance, runProvenance,
                ListProvenance.createListProvenance(models));
        return new WeightedEnsembleModel<>(ensembleName, provenance, features, labels, models, new VotingCombiner());
    }

    @Override
    public int getInvocationCount() {
        return 0;
    }

    @Override
    public TrainerProvenance getProvenance() {
        return tribuo.getProvenance();
    }
}
