package org.modelbench.app.report;

import java.util.ArrayList;
import java.util.List;
import org.modelbench.app.report.ReportInput.DatasetTrials;
import org.modelbench.app.report.ReportInput.ModelTrials;

/**
 * The report's numbers as {@code report.json}: per dataset each model's finished trials and mean and
 * standard deviation of the test accuracy, and for a suite the comparison across datasets (ranks,
 * the Friedman test, the Nemenyi critical difference and its groups).
 *
 * @param experiment     the experiment's name
 * @param datasets       per dataset, its models' results
 * @param acrossDatasets a suite's comparison across datasets; {@code null} for a single-dataset manifest
 */
record ReportSummary(String experiment, List<DatasetResults> datasets, AcrossDatasets acrossDatasets) {

    /** The models' results on one dataset. */
    record DatasetResults(String label, List<ModelResult> models) {
    }

    /**
     * @param trials       finished trials
     * @param meanAccuracy mean test accuracy over them, {@code null} without any
     * @param stdAccuracy  its sample standard deviation, {@code null} without any
     */
    record ModelResult(String id, String family, int trials, Double meanAccuracy, Double stdAccuracy) {
    }

    static ReportSummary of(ReportInput input, AcrossDatasets across) {
        List<DatasetResults> datasets = new ArrayList<>();
        for (DatasetTrials d : input.datasets()) {
            List<ModelResult> models = new ArrayList<>();
            for (ModelTrials m : d.models()) {
                Statistics.Summary s = m.metrics().isEmpty() ? null : Statistics.Summary.of(m.values("accuracy"));
                models.add(new ModelResult(m.id(), m.family(), m.metrics().size(), s == null ? null : s.mean(),
                        s == null || Double.isNaN(s.std()) ? null : s.std()));
            }
            datasets.add(new DatasetResults(d.label(), models));
        }
        return new ReportSummary(input.experiment().name(), datasets, across);
    }
}
