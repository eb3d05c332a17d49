package dev.nano.wpt;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.nano.wpt.WptRun.Result;

/**
 * Per-area totals of a WPT run, printed as a table: files run (a file with variants counts once
 * per variant), files skipped as not applicable, subtests, passed, the pass rate, runs whose
 * results differ from the expectations, wall time and CPU time of the files' threads (both summed
 * over files that ran in parallel; the CPU time does not depend on how busy the machine is).
 */
final class ResultTable {
    private static final class Row {
        int files;
        int skipped;
        long subtests;
        long passed;
        int mismatched;
        long millis;
        long cpuMillis;
    }

    private final Map<String, Row> rows = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final List<Result> results = new ArrayList<>();

    synchronized void add(Result result, boolean mismatched) {
        Row row = rows.computeIfAbsent(result.file().area(), a -> new Row());
        row.files++;
        row.subtests += result.subtests().stream().filter(t -> !t.name().equals(WptRun.HARNESS)).count();
        row.passed += result.passed();
        row.mismatched += mismatched ? 1 : 0;
        row.millis += result.millis();
        row.cpuMillis += result.cpuMillis();
        results.add(result);
    }

    synchronized void skipped(WptFile file) {
        rows.computeIfAbsent(file.area(), a -> new Row()).skipped++;
    }

    synchronized boolean isEmpty() {
        return rows.isEmpty();
    }

    synchronized String render() {
        String format = "%-18s %6s %8s %9s %8s %7s %11s %9s %9s%n";
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(format, "area", "files", "skipped", "subtests", "passed", "%", "unexpected", "time", "cpu"));
        Row total = new Row();
        for (Map.Entry<String, Row> e : rows.entrySet()) {
            Row r = e.getValue();
            sb.append(line(format, e.getKey(), r));
            total.files += r.files;
            total.skipped += r.skipped;
            total.subtests += r.subtests;
            total.passed += r.passed;
            total.mismatched += r.mismatched;
            total.millis += r.millis;
            total.cpuMillis += r.cpuMillis;
        }
        sb.append(line(format, "total", total));
        List<Result> slowest = results.stream().sorted(Comparator.comparingLong(Result::cpuMillis).reversed()).limit(8).toList();
        sb.append("most CPU:");
        for (Result r : slowest) {
            sb.append(String.format(" %s %.1fs;", r.file().key(), r.cpuMillis() / 1000.0));
        }
        return sb.append('\n').toString();
    }

    private static String line(String format, String area, Row r) {
        String percent = r.subtests == 0 ? "-" : String.format("%.1f", 100.0 * r.passed / r.subtests);
        return String.format(format, area, r.files, r.skipped, r.subtests, r.passed, percent, r.mismatched,
                String.format("%.1fs", r.millis / 1000.0), String.format("%.1fs", r.cpuMillis / 1000.0));
    }
}
