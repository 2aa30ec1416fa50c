package dev.strata.ingest.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.strata.model.problem.FieldError;
import dev.strata.model.problem.Problem;
import dev.strata.model.problem.ProblemType;
import dev.strata.support.problem.ProblemException;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads things from CSV (RFC 4180, parsed by jackson-dataformat-csv) with a header of
 * {@code type,name,status,properties.<key>...}, one row at a time, so an import of millions of rows streams.
 * Property values that read as numbers or booleans become JSON numbers or booleans; empty cells are left out.
 */
public final class CsvThings implements AutoCloseable {

    /** Longest cell read as a number (BigDecimal parsing grows with the square of the digits). */
    static final int MAX_NUMBER_CHARS = 100;

    private static final String PROPERTIES = "properties.";

    private final CsvParser parser;
    private final ObjectMapper mapper;
    private final List<String> header;
    private final int maxRecordChars;

    /**
     * @param maxRecordChars the longest record read (the item limit): a quote that is never closed cannot pull
     *                       the rest of the stream into memory
     */
    public CsvThings(Reader reader, ObjectMapper mapper, int maxRecordChars) {
        this.mapper = mapper;
        this.maxRecordChars = maxRecordChars;
        this.parser = rows(reader, maxRecordChars);
        List<String> columns = record();
        if (columns == null) {
            throw ProblemException.badRequest("The CSV body is empty: it needs a header row.");
        }
        List<FieldError> errors = new ArrayList<>();
        for (String column : columns) {
            boolean known = column.equals("type")
                    || column.equals("name")
                    || column.equals("status")
                    || (column.startsWith(PROPERTIES) && column.length() > PROPERTIES.length());
            if (column.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                errors.add(FieldError.of("header", "a column name must not contain control characters"));
            } else if (!known) {
                errors.add(FieldError.of(column, "unknown column; expected type, name, status or properties.<key>"));
            }
        }
        if (!columns.contains("type") || !columns.contains("name")) {
            errors.add(FieldError.of("header", "needs the columns type and name"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation("The CSV header is not valid.", errors);
        }
        this.header = columns;
    }

    /**
     * A parser that hands out each record as an array of its cells: no header handling of its own, no comments,
     * no trimming; a cell longer than the item limit stops it before it is held whole.
     */
    private static CsvParser rows(Reader reader, int maxRecordChars) {
        CsvFactory factory = CsvFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxStringLength(maxRecordChars)
                        .build())
                .build();
        try {
            CsvParser parser = factory.createParser(reader);
            parser.setSchema(CsvSchema.emptySchema().withoutComments());
            return parser;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next row as a thing item, or null at the end. */
    public ObjectNode next() {
        List<String> cells;
        do {
            cells = record();
            if (cells == null) {
                return null;
            }
        } while (cells.size() == 1 && cells.get(0).isEmpty()); // blank line
        ObjectNode item = mapper.createObjectNode();
        ObjectNode properties = null;
        for (int i = 0; i < cells.size(); i++) {
            if (i >= header.size()) {
                item.put(
                        ThingRules.CSV_ROW_ERROR,
                        "the row has " + cells.size() + " cells but the header " + header.size());
                break;
            }
            String column = header.get(i);
            String value = cells.get(i);
            if (value.isEmpty()) {
                continue;
            }
            if (column.startsWith(PROPERTIES)) {
                if (properties == null) {
                    properties = item.putObject("properties");
                }
                putTyped(properties, column.substring(PROPERTIES.length()), value);
            } else {
                item.put(column, value);
            }
        }
        return item;
    }

    /**
     * A cell as JSON: {@code true}/{@code false}, a number when the cell reads as one that JSON readers hold as
     * written (at most {@value #MAX_NUMBER_CHARS} characters, within the range of a double), the text otherwise,
     * so a cell is never changed: "1e400" or a 100,000-digit cell stays the text it was.
     */
    private static void putTyped(ObjectNode target, String key, String value) {
        if (value.equals("true") || value.equals("false")) {
            target.put(key, Boolean.parseBoolean(value));
            return;
        }
        if (value.length() <= MAX_NUMBER_CHARS && looksNumeric(value)) {
            try {
                BigDecimal number = new BigDecimal(value);
                if (number.scale() <= 0 && number.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) < 0) {
                    target.put(key, number.longValueExact());
                    return;
                }
                if (ItemErrors.representable(number)) {
                    target.put(key, number);
                    return;
                }
            } catch (NumberFormatException | ArithmeticException ignored) {
                // falls through to text
            }
        }
        target.put(key, value);
    }

    private static boolean looksNumeric(String value) {
        char first = value.charAt(0);
        // No leading zeros ("007" is an id, not 7) and no leading '+' or '.'.
        return (Character.isDigit(first) || first == '-')
                && !(value.length() > 1 && first == '0' && value.charAt(1) != '.');
    }

    /**
     * The cells of the next record; null at the end of the input. A record counts its cells and the commas
     * between them against the item limit, so neither one long cell nor a million empty ones is held.
     */
    private List<String> record() {
        try {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                return null;
            }
            List<String> cells = new ArrayList<>();
            long chars = -1;
            for (JsonToken token = parser.nextToken();
                    token != null && token != JsonToken.END_ARRAY;
                    token = parser.nextToken()) {
                String cell = parser.getText();
                chars += cell.length() + 1;
                if (chars > maxRecordChars) {
                    throw tooLong(parser.currentLocation().getLineNr());
                }
                cells.add(cell);
            }
            return cells;
        } catch (StreamConstraintsException e) {
            throw tooLong(parser.currentLocation().getLineNr());
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null
                    ? parser.currentLocation().getLineNr()
                    : e.getLocation().getLineNr();
            String message = e.getOriginalMessage();
            throw ProblemException.badRequest(
                    message.startsWith("Missing closing quote")
                            ? "CSV line " + line + ": a quoted field is not closed."
                            : "CSV line " + line + ": " + message + ".");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ProblemException tooLong(int line) {
        return new ProblemException(Problem.of(
                        ProblemType.PAYLOAD_TOO_LARGE,
                        "CSV line " + line
                                + ": a record is longer than " + maxRecordChars
                                + " characters, the item limit (is a quote not closed?).")
                .withExtension("limit", "strata.ingest.max-item-bytes")
                .withExtension("maximum", maxRecordChars));
    }

    @Override
    public void close() {
        try {
            parser.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
