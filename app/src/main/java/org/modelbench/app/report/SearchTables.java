package org.modelbench.app.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.modelbench.app.manifest.SearchSpec;
import org.modelbench.app.run.CandidateMetrics;
import org.modelbench.app.run.TrialMetrics;

/**
 * The report's section of each searched model: every candidate with its values and its validation
 * accuracy per seed (the selected one in bold), then per seed the selected candidate with its test
 * accuracy, the only test figure a search has.
 */
final class SearchTables {
    /** Candidates listed per model at most (the best by mean validation accuracy, and every selected one). */
    static final int MAX_ROWS = 50;

    private SearchTables() {
    }

    static void write(Document doc, Report.Section at, List<ReportInput.ModelTrials> models) {
        for (ReportInput.ModelTrials m : models) {
            if (m.spec().search() != null && !m.search().isEmpty()) {
                model(doc, at, m);
            }
        }
    }

    private static void model(Document doc, Report.Section at, ReportInput.ModelTrials m) {
        SearchSpec spec = m.spec().search();
        List<ReportInput.SearchSeed> seeds = m.search();
        Map<Integer, Map<Integer, CandidateMetrics>> byCandidate = new TreeMap<>();
        for (int s = 0; s < seeds.size(); s++) {
            for (CandidateMetrics c : seeds.get(s).candidates()) {
                byCandidate.computeIfAbsent(c.candidate(), k -> new LinkedHashMap<>()).put(s, c);
            }
        }
        List<String> keys = byCandidate.isEmpty() ? List.of()
                : new ArrayList<>(byCandidate.values().iterator().next().values().iterator().next().values().keySet());
        at.heading(doc, "Hyperparameter search: " + m.id());
        doc.paragraph(String.format("Strategy **%s**, %d candidate(s) x %d seed(s)%s. Each candidate is trained on the "
                        + "trial's training rows less the validation split and scored on the validation rows only; "
                        + "no test row is read. Per seed, the candidate with the highest validation accuracy (the "
                        + "lowest index on ties) is retrained and tested: the comparison above uses those trials. "
                        + "**Bold**: selected.", spec.strategy().name().toLowerCase(Locale.ROOT), byCandidate.size(),
                seeds.size(), seeds.stream().anyMatch(s -> s.fold() != null) ? " (seed x fold)" : ""));
        List<String> header = new ArrayList<>(List.of("candidate"));
        header.addAll(keys);
        seeds.forEach(s -> header.add("validation accuracy " + label(s)));
        header.add("mean validation accuracy");
        List<Integer> shown = shown(byCandidate, seeds);
        List<List<String>> rows = new ArrayList<>();
        for (int c : shown) {
            Map<Integer, CandidateMetrics> perSeed = byCandidate.get(c);
            CandidateMetrics any = perSeed.values().iterator().next();
            List<String> row = new ArrayList<>(List.of(String.valueOf(c)));
            keys.forEach(k -> row.add(value(any.values().get(k))));
            for (int s = 0; s < seeds.size(); s++) {
                CandidateMetrics score = perSeed.get(s);
                boolean selected = seeds.get(s).selection() != null && seeds.get(s).selection().candidate() == c;
                String cell = score == null ? "-" : String.format("%.4f", score.validationAccuracy());
                row.add(selected ? "**" + cell + " (selected)**" : cell);
            }
            row.add(String.format("%.4f", mean(perSeed)));
            rows.add(row);
        }
        doc.table(at.id("search-" + m.id()), header, rows);
        if (shown.size() < byCandidate.size()) {
            doc.paragraph(String.format("%d of %d candidates shown: the best %d by mean validation accuracy and every "
                    + "selected one.", shown.size(), byCandidate.size(), MAX_ROWS));
        }
        List<List<String>> selectedRows = new ArrayList<>();
        for (ReportInput.SearchSeed s : seeds) {
            if (s.selection() == null) {
                continue;
            }
            TrialMetrics tested = m.metrics().stream().filter(t -> t.seed() == s.seed()
                    && Objects.equals(t.fold(), s.fold())).findFirst().orElse(null);
            List<String> row = new ArrayList<>(List.of(label(s), String.valueOf(s.selection().candidate())));
            keys.forEach(k -> row.add(value(s.selection().values().get(k))));
            row.add(String.format("%.4f", s.selection().validationAccuracy()));
            row.add(tested == null ? "-" : String.format("%.4f", tested.accuracy()));
            selectedRows.add(row);
        }
        List<String> selectedHeader = new ArrayList<>(List.of("seed", "selected candidate"));
        selectedHeader.addAll(keys);
        selectedHeader.addAll(List.of("validation accuracy", "test accuracy"));
        doc.table(at.id("selected-" + m.id()), selectedHeader, selectedRows);
    }

    /** The candidates shown: all, or the best {@link #MAX_ROWS} by mean validation accuracy and the selected ones. */
    private static List<Integer> shown(Map<Integer, Map<Integer, CandidateMetrics>> byCandidate,
                                       List<ReportInput.SearchSeed> seeds) {
        if (byCandidate.size() <= MAX_ROWS) {
            return new ArrayList<>(byCandidate.keySet());
        }
        java.util.TreeSet<Integer> shown = new java.util.TreeSet<>();
        byCandidate.entrySet().stream()
                .sorted(Comparator.comparingDouble((Map.Entry<Integer, Map<Integer, CandidateMetrics>> e) ->
                        -mean(e.getValue())).thenComparingInt(Map.Entry::getKey))
                .limit(MAX_ROWS).forEach(e -> shown.add(e.getKey()));
        seeds.stream().filter(s -> s.selection() != null).forEach(s -> shown.add(s.selection().candidate()));
        return new ArrayList<>(shown);
    }

    private static double mean(Map<Integer, CandidateMetrics> perSeed) {
        return perSeed.values().stream().mapToDouble(CandidateMetrics::validationAccuracy).average().orElse(Double.NaN);
    }

    private static String label(ReportInput.SearchSeed s) {
        return "seed " + s.seed() + (s.fold() == null ? "" : " fold " + s.fold());
    }

    private static String value(Object v) {
        if (v instanceof Double || v instanceof Float) {
            return String.format(Locale.ROOT, "%.4g", ((Number) v).doubleValue());
        }
        return String.valueOf(v);
    }
}
