package org.modelbench.app.slurm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.modelbench.api.ModelbenchException;
import org.modelbench.app.run.TrialPlan;

/**
 * Trials submitted as one job array: the same resources and the same dependency wave.
 *
 * @param wave      0 for trials that wait for no trial of the submission, else 1 + the wave of the
 *                  latest trial they wait for
 * @param resources what each task asks for
 * @param indices   the plan indices, ascending: the array's task ids
 */
public record ArrayGroup(int wave, TaskResources resources, List<Integer> indices) {
    public ArrayGroup {
        indices = List.copyOf(indices);
        if (indices.isEmpty()) {
            throw new IllegalArgumentException("indices: expected at least one");
        }
    }

    /**
     * The {@code --array} value: the indices with runs of consecutive ones as ranges, e.g.
     * {@code 0-3,5,7-8}.
     */
    public String arraySpec() {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < indices.size()) {
            int j = i;
            while (j + 1 < indices.size() && indices.get(j + 1) == indices.get(j) + 1) {
                j++;
            }
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(indices.get(i));
            if (j > i) {
                out.append(j == i + 1 ? "," : "-").append(indices.get(j));
            }
            i = j + 1;
        }
        return out.toString();
    }

    /**
     * The arrays that run the {@code selected} plan indices: trials grouped by wave, then by resources,
     * in plan order; waves ascending (a wave's arrays wait for the trials of earlier waves they read).
     *
     * @throws ModelbenchException when the trials' {@code after} lists form a cycle
     */
    public static List<ArrayGroup> of(TrialPlan plan, Set<Integer> selected,
                                      Function<TrialPlan.PlannedTrial, TaskResources> resources) {
        Map<String, TrialPlan.PlannedTrial> byId = new HashMap<>();
        plan.trials().forEach(t -> byId.put(t.id(), t));
        Map<Integer, Integer> waves = new HashMap<>();
        for (TrialPlan.PlannedTrial t : plan.trials()) {
            if (selected.contains(t.index())) {
                wave(t, selected, byId, waves, new java.util.HashSet<>());
            }
        }
        Map<Integer, Map<TaskResources, List<Integer>>> grouped = new java.util.TreeMap<>();
        for (TrialPlan.PlannedTrial t : plan.trials()) {
            if (selected.contains(t.index())) {
                grouped.computeIfAbsent(waves.get(t.index()), w -> new LinkedHashMap<>())
                        .computeIfAbsent(resources.apply(t), r -> new ArrayList<>()).add(t.index());
            }
        }
        List<ArrayGroup> out = new ArrayList<>();
        grouped.forEach((wave, byResources) -> byResources.forEach((r, indices) -> out.add(new ArrayGroup(wave, r,
                indices))));
        return out;
    }

    private static int wave(TrialPlan.PlannedTrial trial, Set<Integer> selected, Map<String, TrialPlan.PlannedTrial> byId,
                            Map<Integer, Integer> waves, Set<Integer> visiting) {
        Integer known = waves.get(trial.index());
        if (known != null) {
            return known;
        }
        if (!visiting.add(trial.index())) {
            throw new ModelbenchException("trial " + trial.id() + " waits for itself through its 'after' trials; "
                    + "expected an order without cycles");
        }
        int wave = 0;
        for (String before : trial.after()) {
            TrialPlan.PlannedTrial b = byId.get(before);
            if (b != null && selected.contains(b.index())) {
                wave = Math.max(wave, 1 + wave(b, selected, byId, waves, visiting));
            }
        }
        waves.put(trial.index(), wave);
        return wave;
    }
}
