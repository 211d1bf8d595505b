package org.modelbench.tribuo.internal;

import com.google.protobuf.Any;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.classification.ensemble.VotingCombiner;
import org.tribuo.common.tree.LeafNode;
import org.tribuo.common.tree.Node;
import org.tribuo.common.tree.SplitNode;
import org.tribuo.common.tree.TreeModel;
import org.tribuo.common.tree.protos.LeafNodeProto;
import org.tribuo.common.tree.protos.SplitNodeProto;
import org.tribuo.common.tree.protos.TreeModelProto;
import org.tribuo.common.tree.protos.TreeNodeProto;
import org.tribuo.ensemble.EnsembleModel;
import org.tribuo.ensemble.WeightedEnsembleModel;
import org.tribuo.impl.ModelDataCarrier;
import org.tribuo.protos.core.FeatureDomainProto;
import org.tribuo.protos.core.ModelDataProto;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.protos.core.OutputProto;
import org.tribuo.protos.core.WeightedEnsembleModelProto;

/**
 * Tribuo's protobuf form of this plugin's trees and voting forests, the very message
 * {@code Model.serialize()} builds (tested byte for byte), built without its per-object cost.
 *
 * <p>Tribuo serializes every label and every feature's statistics through reflection
 * ({@code ProtoUtil}), once per leaf and once per feature per tree, which made saving a 100-tree
 * MNIST forest take minutes. Here a shared feature map is serialized once, each distinct leaf label
 * (name and score) once, and the rest of each message is assembled from Tribuo's public
 * builders exactly as {@code TreeModel}, {@code SplitNode}, {@code LeafNode} and
 * {@code WeightedEnsembleModel} assemble it (including {@code SplitNode}'s class name field,
 * which Tribuo sets to {@code LeafNode}'s). Ensembles must be uniformly weighted and combined by
 * {@link VotingCombiner} (what this plugin builds and loads); anything else goes to Tribuo.
 */
final class TreeProtos {
    private final Map<ImmutableFeatureMap, FeatureDomainProto> featureDomains = new IdentityHashMap<>();
    private final Map<LabelKey, OutputProto> labels = new HashMap<>();
    /** A one-feature map: carries the name, provenance and output domain while the real feature domain is reused. */
    private final ImmutableFeatureMap placeholder = new ImmutableFeatureMap(List.of(new org.tribuo.RealInfo("x")));

    private record LabelKey(String name, long scoreBits) {
    }

    private TreeProtos() {
    }

    /** {@code model.serialize()}, faster for trees and voting forests of trees. */
    static ModelProto serialize(Model<Label> model) {
        if (model instanceof TreeModel<Label> tree) {
            return new TreeProtos().tree(tree);
        }
        if (model instanceof WeightedEnsembleModel<Label> ensemble && allTrees(ensemble)) {
            return new TreeProtos().ensemble(ensemble);
        }
        return model.serialize();
    }

    private static boolean allTrees(EnsembleModel<Label> ensemble) {
        return ensemble.getModels().stream().allMatch(m -> m instanceof TreeModel);
    }

    private ModelProto ensemble(WeightedEnsembleModel<Label> ensemble) {
        List<Model<Label>> members = ensemble.getModels();
        WeightedEnsembleModelProto.Builder builder = WeightedEnsembleModelProto.newBuilder();
        builder.setMetadata(metadata(ensemble));
        float weight = FlatForest.uniformWeights(members.size())[0];
        for (Model<Label> member : members) {
            builder.addModels(tree((TreeModel<Label>) member));
        }
        for (int i = 0; i < members.size(); i++) {
            builder.addWeights(weight);
        }
        builder.setCombiner(new VotingCombiner().serialize());
        return ModelProto.newBuilder().setSerializedData(Any.pack(builder.build()))
                .setClassName(WeightedEnsembleModel.class.getName()).setVersion(WeightedEnsembleModel.CURRENT_VERSION)
                .build();
    }

    private ModelProto tree(TreeModel<Label> tree) {
        TreeModelProto.Builder builder = TreeModelProto.newBuilder();
        builder.setMetadata(metadata(tree));
        ImmutableOutputInfo<Label> outputs = tree.getOutputIDInfo();
        Node<Label> root = tree.getRoot();
        TreeNodeProto[] nodes = new TreeNodeProto[tree.countNodes(root)];
        // TreeModel.serializeToNodes: breadth first, a split's greater child numbered before its other child.
        record Pending(int parent, int index, Node<Label> node) {
        }
        Queue<Pending> queue = new ArrayDeque<>();
        queue.add(new Pending(-1, 0, root));
        int counter = 0;
        while (!queue.isEmpty()) {
            Pending p = queue.poll();
            if (p.node() instanceof SplitNode<Label> split) {
                int greater = ++counter;
                int less = ++counter;
                SplitNodeProto node = SplitNodeProto.newBuilder().setParentIdx(p.parent()).setCurIdx(p.index())
                        .setGreaterThanIdx(greater).setLessThanOrEqualIdx(less).setSplitFeatureIdx(split.getFeatureID())
                        .setSplitValue(split.splitValue()).setImpurity(split.getImpurity()).build();
                nodes[p.index()] = TreeNodeProto.newBuilder().setVersion(SplitNode.CURRENT_VERSION)
                        .setClassName(LeafNode.class.getName()).setSerializedData(Any.pack(node)).build();
                queue.add(new Pending(p.index(), greater, split.getGreaterThan()));
                queue.add(new Pending(p.index(), less, split.getLessThanOrEqual()));
            } else if (p.node() instanceof LeafNode<Label> leaf) {
                LeafNodeProto.Builder node = LeafNodeProto.newBuilder().setParentIdx(p.parent()).setCurIdx(p.index())
                        .setOutput(label(leaf.getOutput()));
                for (Map.Entry<String, Label> e : leaf.getDistribution().entrySet()) {
                    node.putScore(e.getKey(), label(e.getValue()));
                }
                node.setGeneratesProbabilities(true).setImpurity(leaf.getImpurity());
                nodes[p.index()] = TreeNodeProto.newBuilder().setVersion(LeafNode.CURRENT_VERSION)
                        .setClassName(LeafNode.class.getName()).setSerializedData(Any.pack(node.build())).build();
            } else {
                return tree.serialize();
            }
        }
        builder.addAllNodes(List.of(nodes));
        return ModelProto.newBuilder().setSerializedData(Any.pack(builder.build()))
                .setClassName(TreeModel.class.getName()).setVersion(TreeModel.CURRENT_VERSION).build();
    }

    /** Model.createDataCarrier().serialize() with the feature domain serialized once per feature map. */
    private ModelDataProto metadata(Model<Label> model) {
        ModelDataProto withPlaceholder = new ModelDataCarrier<>(model.getName(), model.getProvenance(), placeholder,
                model.getOutputIDInfo(), model.generatesProbabilities(), model.getProvenance().getTribuoVersion())
                .serialize();
        FeatureDomainProto features = featureDomains.computeIfAbsent(model.getFeatureIDMap(), ImmutableFeatureMap::serialize);
        return withPlaceholder.toBuilder().setFeatureDomain(features).build();
    }

    private OutputProto label(Label label) {
        return labels.computeIfAbsent(new LabelKey(label.getLabel(), Double.doubleToLongBits(label.getScore())),
                k -> label.serialize());
    }
}
