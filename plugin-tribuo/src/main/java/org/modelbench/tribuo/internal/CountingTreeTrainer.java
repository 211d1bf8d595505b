package org.modelbench.tribuo.internal;

import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import java.util.Map;
import org.tribuo.Dataset;
import org.tribuo.SparseModel;
import org.tribuo.classification.Label;
import org.tribuo.common.tree.DecisionTreeTrainer;
import org.tribuo.provenance.TrainerProvenance;

/**
 * A decision-tree trainer that delegates everything to Tribuo's CART trainer and calls
 * {@code treeFinished} after each tree, so that ensemble trainers (which train their members one
 * after the other on the calling thread) report progress per tree. Its provenance is the
 * delegate's, so Tribuo's records name the CART trainer and its settings.
 */
final class CountingTreeTrainer implements DecisionTreeTrainer<Label> {
    private final DecisionTreeTrainer<Label> delegate;
    private final Runnable treeFinished;

    CountingTreeTrainer(DecisionTreeTrainer<Label> delegate, Runnable treeFinished) {
        this.delegate = delegate;
        this.treeFinished = treeFinished;
    }

    @Override
    public SparseModel<Label> train(Dataset<Label> examples, Map<String, Provenance> runProvenance) {
        SparseModel<Label> tree = delegate.train(examples, runProvenance);
        treeFinished.run();
        return tree;
    }

    @Override
    public SparseModel<Label> train(Dataset<Label> examples, Map<String, Provenance> runProvenance,
                                    int invocationCount) {
        SparseModel<Label> tree = delegate.train(examples, runProvenance, invocationCount);
        treeFinished.run();
        return tree;
    }

    @Override
    public float getFractionFeaturesInSplit() {
        return delegate.getFractionFeaturesInSplit();
    }

    @Override
    public boolean getUseRandomSplitPoints() {
        return delegate.getUseRandomSplitPoints();
    }

    @Override
    public float getMinImpurityDecrease() {
        return delegate.getMinImpurityDecrease();
    }

    @Override
    public int getInvocationCount() {
        return delegate.getInvocationCount();
    }

    @Override
    public void setInvocationCount(int invocationCount) {
        delegate.setInvocationCount(invocationCount);
    }

    @Override
    public TrainerProvenance getProvenance() {
        return delegate.getProvenance();
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
