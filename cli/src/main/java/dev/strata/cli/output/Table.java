package dev.strata.cli.output;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A plain text table as {@code kubectl} prints them: upper-case headers, columns two spaces apart, numbers aligned
 * right (a {@code -} or {@code unlimited} among them too), no borders and no trailing blanks, so that
 * {@code awk '{print $2}'} reads a column.
 */
public final class Table {

    private static final Pattern NUMERIC = Pattern.compile("-?[0-9][0-9,]*(\\.[0-9]+)?( ?%)?");
    /** Cells that stand for a number: they neither make a column textual nor are aligned apart from it. */
    private static final Set<String> NEUTRAL = Set.of("-", "unlimited");

    private static final String GAP = "  ";

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(String... headers) {
        this.headers = Arrays.stream(headers).map(String::toUpperCase).toList();
    }

    /** One row; a null cell prints as {@code -}. Missing cells are blank, extra ones are an error. */
    public Table row(Object... cells) {
        if (cells.length > headers.size()) {
            throw new IllegalArgumentException(cells.length + " cells for " + headers.size() + " columns");
        }
        List<String> row = new ArrayList<>();
        for (int i = 0; i < headers.size(); i++) {
            row.add(i < cells.length ? text(cells[i]) : "");
        }
        rows.add(row);
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The table, each line ending with a newline. */
    public String render() {
        int columns = headers.size();
        int[] widths = new int[columns];
        boolean[] right = new boolean[columns];
        for (int c = 0; c < columns; c++) {
            widths[c] = headers.get(c).length();
            boolean numeric = !rows.isEmpty();
            for (List<String> row : rows) {
                String cell = row.get(c);
                widths[c] = Math.max(widths[c], cell.length());
                numeric &= NEUTRAL.contains(cell) || NUMERIC.matcher(cell).matches();
            }
            right[c] = numeric;
        }
        StringBuilder out = new StringBuilder();
        line(out, headers, widths, right);
        rows.forEach(row -> line(out, row, widths, right));
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells, int[] widths, boolean[] right) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c);
            String padding = " ".repeat(widths[c] - cell.length());
            line.append(c == 0 ? "" : GAP).append(right[c] ? padding + cell : cell + padding);
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }

    private static String text(Object cell) {
        return cell == null ? "-" : cell.toString().replace('\n', ' ').replace('\r', ' ');
    }
}
