package org.modelbench.app.report;

import java.util.ArrayList;
import java.util.List;
import org.modelbench.app.report.ReportInput.DatasetTrials;
import org.modelbench.app.report.ReportInput.ModelTrials;

/**
 * A suite's models compared across its datasets: each model's mean test accuracy per dataset and,
 * with at least two models and two datasets on which every model has finished trials, their
 * {@link Ranking}.
 *
 * @param models       model ids, in manifest order
 * @param datasets     dataset labels, in manifest order
 * @param meanAccuracy {@code meanAccuracy[d][m]}: the mean test accuracy over seeds and folds of model {@code m} on
 *                     dataset {@code d}, {@code null} without finished trials
 * @param ranking      the ranks and tests over the datasets where every model finished, or {@code null}
 * @param omitted      why {@code ranking} is {@code null}, else {@code null}
 */
record AcrossDatasets(List<String> models, List<String> datasets, List<List<Double>> meanAccuracy, Ranking ranking,
                      String omitted) {

    static AcrossDatasets of(List<DatasetTrials> data) {
        List<String> models = data.get(0).models().stream().map(ModelTrials::id).toList();
        List<String> labels = data.stream().map(DatasetTrials::label).toList();
        List<List<Double>> means = new ArrayList<>();
        List<String> complete = new ArrayList<>();
        List<double[]> scores = new ArrayList<>();
        for (DatasetTrials d : data) {
            List<Double> row = new ArrayList<>();
            for (ModelTrials m : d.models()) {
                row.add(m.metrics().isEmpty() ? null : Statistics.Summary.of(m.values("accuracy")).mean());
            }
            means.add(java.util.Collections.unmodifiableList(row));
            if (row.stream().allMatch(java.util.Objects::nonNull)) {
                complete.add(d.label());
                scores.add(row.stream().mapToDouble(Double::doubleValue).toArray());
            }
        }
        String omitted = null;
        if (models.size() < 2) {
            omitted = "a ranking needs at least 2 models, the suite has " + models.size();
        } else if (data.size() < 2) {
            omitted = "a ranking needs at least 2 datasets, the suite has " + data.size();
        } else if (complete.size() < 2) {
            omitted = "a ranking needs at least 2 datasets on which every model has finished trials, there "
                    + (complete.size() == 1 ? "is 1" : "are " + complete.size());
        }
        Ranking ranking = omitted != null ? null : Ranking.of(models, complete, scores.toArray(double[][]::new));
        return new AcrossDatasets(models, labels, means, ranking, omitted);
    }
}
