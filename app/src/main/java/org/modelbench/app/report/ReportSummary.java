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
     * @param search       for a searched model, per seed (and fold) its selection; absent without a search
     */
    record ModelResult(String id, String family, int trials, Double meanAccuracy, Double stdAccuracy,
                       @com.fasterxml.jackson.annotation.JsonInclude(
                               com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                       List<SearchResult> search) {
    }

    /**
     * A search's selection on one seed (and fold).
     *
     * @param selectedCandidate  the selected candidate, {@code null} before its selecting trial finished
     * @param values             its searched values
     * @param validationAccuracy its validation accuracy
     * @param testAccuracy       its test accuracy (the only test figure of a search), {@code null} before it is tested
     * @param candidates         every finished candidate's validation accuracy
     */
    record SearchResult(long seed,
                        @com.fasterxml.jackson.annotation.JsonInclude(
                                com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) Integer fold,
                        Integer selectedCandidate, java.util.Map<String, Object> values, Double validationAccuracy,
                        Double testAccuracy, List<org.modelbench.app.run.Selection.Scored> candidates) {
    }

    static ReportSummary of(ReportInput input, AcrossDatasets across) {
        List<DatasetResults> datasets = new ArrayList<>();
        for (DatasetTrials d : input.datasets()) {
            List<ModelResult> models = new ArrayList<>();
            for (ModelTrials m : d.models()) {
                Statistics.Summary s = m.metrics().isEmpty() ? null : Statistics.Summary.of(m.values("accuracy"));
                models.add(new ModelResult(m.id(), m.family(), m.metrics().size(), s == null ? null : s.mean(),
                        s == null || Double.isNaN(s.std()) ? null : s.std(), search(m)));
            }
            datasets.add(new DatasetResults(d.label(), models));
        }
        return new ReportSummary(input.experiment().name(), datasets, across);
    }

    private static List<SearchResult> search(ModelTrials m) {
        if (m.spec().search() == null) {
            return null;
        }
        List<SearchResult> out = new ArrayList<>();
        for (ReportInput.SearchSeed s : m.search()) {
            var selection = s.selection();
            Double test = m.metrics().stream().filter(t -> t.seed() == s.seed()
                    && java.util.Objects.equals(t.fold(), s.fold())).map(t -> t.accuracy()).findFirst().orElse(null);
            out.add(new SearchResult(s.seed(), s.fold(), selection == null ? null : selection.candidate(),
                    selection == null ? null : selection.values(), selection == null ? null
                    : selection.validationAccuracy(), selection == null ? null : test,
                    s.candidates().stream().map(c -> new org.modelbench.app.run.Selection.Scored(c.candidate(),
                            c.validationAccuracy())).toList()));
        }
        return out;
    }
}
