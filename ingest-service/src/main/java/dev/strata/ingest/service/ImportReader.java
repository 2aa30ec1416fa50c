package dev.strata.ingest.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.model.problem.FieldError;
import dev.strata.support.problem.ProblemException;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the items of an NDJSON or CSV stream (a spooled import file, or a batch body as it arrives) a chunk at a
 * time, each checked as it is read (see {@link BatchParser#check}), so memory holds one chunk's checked items
 * whatever the stream's size. Items are numbered from 0 across the whole stream: NDJSON counts non-blank lines,
 * CSV counts rows after the header. A line that is not JSON, or is longer than {@code strata.ingest.max-item-bytes},
 * is that item's error, not the stream's; a CSV stream that breaks the format (a quote never closed, text after a
 * closing quote) stops, as the rows after it cannot be told apart.
 */
final class ImportReader implements AutoCloseable {

    static final String NDJSON = "ndjson";
    static final String CSV = "csv";

    private static final int BUFFER = 64 * 1024;

    private final CountingInputStream counting;
    private final BatchParser parser;
    private final int maxLineBytes;
    private final CsvThings csv;
    private final byte[] buffer;
    private byte[] line;
    private int position;
    private int limit;
    private int lineNumber;
    private int nextIndex;

    private ImportReader(CountingInputStream counting, String format, BatchParser parser) throws IOException {
        this.counting = counting;
        this.parser = parser;
        this.maxLineBytes = parser.maxItemBytes();
        if (CSV.equals(format)) {
            this.csv = new CsvThings(
                    withoutBom(new BufferedReader(new InputStreamReader(counting, StandardCharsets.UTF_8), BUFFER)),
                    parser.mapper(),
                    maxLineBytes);
            this.buffer = null;
        } else {
            this.csv = null;
            this.buffer = new byte[BUFFER];
            this.line = new byte[8 * 1024];
            skipBom();
        }
    }

    /** Opens a spool file; for CSV this reads (and checks) the header. */
    static ImportReader open(Path file, String format, BatchParser parser) throws IOException {
        return over(Files.newInputStream(file), format, parser);
    }

    /** Reads a stream it closes when closed; for CSV this reads (and checks) the header. */
    static ImportReader over(InputStream stream, String format, BatchParser parser) throws IOException {
        CountingInputStream in = new CountingInputStream(stream);
        try {
            return new ImportReader(in, format, parser);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** Index of the next item in the whole import. */
    int nextIndex() {
        return nextIndex;
    }

    /** Bytes of the file consumed so far (a buffer ahead of the items handed out). */
    long bytesRead() {
        return counting.count;
    }

    /** Passes over items an earlier run already wrote, without parsing them. */
    void skip(long items) throws IOException {
        for (long i = 0; i < items; i++) {
            if (csv != null ? csv.next() == null : nextLine() == END) {
                return;
            }
            nextIndex++;
        }
    }

    /**
     * Reads up to {@code max} items, checks each and adds its checked form to {@code items}: null where the item
     * could not be read or failed its checks, its errors in {@code errors}. Returns how many it read: 0 at the end.
     */
    <T> int read(int max, ItemValidator<T> validator, List<T> items, List<FieldError> errors) throws IOException {
        int read = 0;
        while (read < max) {
            JsonNode item;
            if (csv != null) {
                item = csv.next();
                if (item == null) {
                    break;
                }
            } else {
                int length = nextLine();
                if (length == END) {
                    break;
                }
                item = null;
                if (length == TOO_LONG) {
                    errors.add(FieldError.at(
                            nextIndex, "$", "Line " + lineNumber + " is longer than " + maxLineBytes + " bytes."));
                } else {
                    try {
                        item = parser.readLine(line, 0, length, lineNumber);
                    } catch (ProblemException e) {
                        errors.add(FieldError.at(nextIndex, "$", e.problem().detail()));
                    }
                }
            }
            items.add(item == null ? null : parser.check(item, nextIndex, validator, errors));
            nextIndex++;
            read++;
        }
        return read;
    }

    private static final int END = -1;
    private static final int TOO_LONG = -2;

    /** The next non-blank line into {@link #line}: its length, {@link #END} or {@link #TOO_LONG}. */
    private int nextLine() throws IOException {
        while (true) {
            int length = 0;
            boolean tooLong = false;
            boolean sawByte = false;
            boolean newline = false;
            while (!newline) {
                if (position == limit && !fill()) {
                    break;
                }
                int start = position;
                while (position < limit && buffer[position] != '\n') {
                    position++;
                }
                int n = position - start;
                sawByte |= n > 0;
                if (position < limit) {
                    position++; // the newline
                    newline = true;
                    sawByte = true;
                }
                if (tooLong || length + n > maxLineBytes) {
                    tooLong = true;
                    continue;
                }
                if (length + n > line.length) {
                    line = Arrays.copyOf(line, Math.min(maxLineBytes, Math.max(line.length * 2, length + n)));
                }
                System.arraycopy(buffer, start, line, length, n);
                length += n;
            }
            if (!sawByte) {
                return END;
            }
            lineNumber++;
            if (tooLong) {
                return TOO_LONG;
            }
            if (length > 0 && line[length - 1] == '\r') {
                length--;
            }
            if (!isBlank(length)) {
                return length;
            }
            if (!newline) {
                return END;
            }
        }
    }

    private boolean fill() throws IOException {
        int n = counting.read(buffer, 0, buffer.length);
        if (n <= 0) {
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }

    private boolean isBlank(int length) {
        for (int i = 0; i < length; i++) {
            if (!Character.isWhitespace(line[i])) {
                return false;
            }
        }
        return true;
    }

    /** A UTF-8 byte order mark (as some spreadsheet exports write) is not part of the first item. */
    private void skipBom() throws IOException {
        if (fill()
                && limit >= 3
                && (buffer[0] & 0xFF) == 0xEF
                && (buffer[1] & 0xFF) == 0xBB
                && (buffer[2] & 0xFF) == 0xBF) {
            position = 3;
        }
    }

    private static Reader withoutBom(Reader reader) throws IOException {
        PushbackReader in = new PushbackReader(reader, 1);
        int first = in.read();
        if (first != -1 && first != '\uFEFF') {
            in.unread(first);
        }
        return in;
    }

    @Override
    public void close() throws IOException {
        counting.close();
    }

    /** Counts the bytes read from the file, for the job's percentage. */
    private static final class CountingInputStream extends FilterInputStream {
        private long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }
    }
}
