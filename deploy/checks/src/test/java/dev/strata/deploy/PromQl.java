package dev.strata.deploy;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression of a Grafana panel reads: enough of PromQL's lexicon to tell a metric from a
 * function, an aggregation, a keyword, a label, a string, a duration or a Grafana variable. Not a parser: an
 * expression it cannot read yields names that no service exposes, which fails the check rather than passes it.
 */
final class PromQl {

    private static final Set<String> KEYWORDS = Set.of(
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "bool",
            "and",
            "or",
            "unless",
            "offset",
            "inf",
            "nan",
            "atan2");
    private static final Pattern NAME_MATCHER = Pattern.compile("__name__\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern GRAFANA_VARIABLE = Pattern.compile("\\$\\{[^}]*}|\\$\\w+|\\[\\[\\w+]]");
    private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern GROUPING =
            Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.:])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");
    /** Grafana's {@code label_values(metric, label)}, {@code label_values(label)}, {@code metrics(regex)}... */
    private static final Pattern LABEL_VALUES =
            Pattern.compile("^\\s*label_values\\(\\s*(.+?)\\s*,\\s*\\w+\\s*\\)\\s*$");

    private PromQl() {}

    /** The metric names {@code expression} selects, in order of appearance. */
    static Set<String> metricNames(String expression) {
        Set<String> names = new LinkedHashSet<>();
        Matcher byName = NAME_MATCHER.matcher(expression);
        while (byName.find()) {
            names.add(byName.group(1));
        }
        String rest = STRING.matcher(expression).replaceAll("\"\"");
        rest = GRAFANA_VARIABLE.matcher(rest).replaceAll(" ");
        rest = RANGE.matcher(rest).replaceAll(" ");
        rest = MATCHERS.matcher(rest).replaceAll(" ");
        rest = GROUPING.matcher(rest).replaceAll(" ");
        Matcher identifiers = IDENTIFIER.matcher(rest);
        while (identifiers.find()) {
            String word = identifiers.group(1);
            boolean call = identifiers.group(2) != null;
            if (!call && !KEYWORDS.contains(word.toLowerCase())) {
                names.add(word);
            }
        }
        return names;
    }

    /**
     * The metric names a query variable of a Grafana dashboard reads: {@code label_values(<selector>, <label>)}
     * reads the selector's metric; {@code label_values(<label>)} reads none.
     */
    static Set<String> variableMetricNames(String query) {
        Matcher labelValues = LABEL_VALUES.matcher(query);
        if (labelValues.matches()) {
            return metricNames(labelValues.group(1));
        }
        if (query.trim().startsWith("label_values(")) {
            return Set.of();
        }
        return metricNames(query);
    }
}
