package dev.strata.support.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.UUID;

/**
 * Reads what the edge needs from a request's path and query before any resource runs: whether the target is a
 * URI, the group a path names and whether path or query carry control characters. Pure functions over the raw request target, so the
 * rules are tested without a server.
 */
public final class RequestTarget {

    private static final String GROUPS = "/groups/";

    private RequestTarget() {}

    /**
     * The raw group segment of {@code /groups/{groupId}} and everything below it, or null when the path names no
     * group ({@code /groups} itself, other paths).
     */
    /** Whether a request target parses as a URI (what Quarkus checks before routing, unless told not to). */
    public static boolean wellFormed(String uri) {
        if (uri == null) {
            return false;
        }
        try {
            new URI(uri);
            return true;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /**
     * Whether an {@code Accept} header (none: anything) allows {@code application/json} or
     * {@code application/problem+json}, the two media types Strata's API answers with; a range with {@code q=0}
     * refuses.
     */
    public static boolean acceptsJson(String accept) {
        if (accept == null || accept.isBlank()) {
            return true;
        }
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            String type = parts[0].trim().toLowerCase(Locale.ROOT);
            boolean refused = false;
            for (int i = 1; i < parts.length; i++) {
                String parameter = parts[i].trim().replace(" ", "");
                refused |= parameter.matches("q=0(\\.0*)?");
            }
            boolean json = type.equals("*/*")
                    || type.equals("application/*")
                    || type.equals("application/json")
                    || type.equals("application/problem+json");
            if (json && !refused) {
                return true;
            }
        }
        return false;
    }

    public static String groupSegment(String path) {
        if (path == null || !path.startsWith(GROUPS)) {
            return null;
        }
        int end = path.indexOf('/', GROUPS.length());
        String segment = end < 0 ? path.substring(GROUPS.length()) : path.substring(GROUPS.length(), end);
        return segment.isEmpty() ? null : segment;
    }

    /** The group id a segment spells (percent-decoded), or null when it is not a canonical UUID. */
    public static UUID groupId(String segment) {
        String decoded = percentDecode(segment);
        if (decoded == null || decoded.length() != 36) {
            return null;
        }
        for (int i = 0; i < 36; i++) {
            char c = decoded.charAt(i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? c != '-' : Character.digit(c, 16) < 0) {
                return null;
            }
        }
        return UUID.fromString(decoded);
    }

    /**
     * The position of the first C0 control character (U+0000-U+001F) or DEL (U+007F) in a raw path or query,
     * written as is or percent-encoded ({@code %00}), or -1 when there is none. Nothing Strata stores or looks
     * up by path or query may contain one; PostgreSQL refuses NUL in text outright.
     */
    public static int controlCharacter(String raw) {
        if (raw == null) {
            return -1;
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (isControl(c)) {
                return i;
            }
            if (c == '%' && i + 2 < raw.length()) {
                int high = Character.digit(raw.charAt(i + 1), 16);
                int low = Character.digit(raw.charAt(i + 2), 16);
                if (high >= 0 && low >= 0 && isControl((char) (high * 16 + low))) {
                    return i;
                }
            }
        }
        return -1;
    }

    /**
     * The name of the query parameter whose name or value holds position {@code at}, when the name is plain
     * enough to repeat in an answer ({@code [A-Za-z0-9_.-]}, at most 64 characters); null otherwise.
     */
    public static String parameterAt(String query, int at) {
        int start = query.lastIndexOf('&', at) + 1;
        int equals = query.indexOf('=', start);
        if (equals < 0 || equals > at) {
            return null; // in the name itself
        }
        String name = query.substring(start, equals);
        return name.matches("[A-Za-z0-9_.-]{1,64}") ? name : null;
    }

    static boolean isControl(char c) {
        return c < 0x20 || c == 0x7f;
    }

    /** Percent-decodes an ASCII path segment; null when an escape is malformed or decodes beyond ASCII. */
    static String percentDecode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        StringBuilder out = new StringBuilder(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (i + 2 >= segment.length()) {
                return null;
            }
            int high = Character.digit(segment.charAt(i + 1), 16);
            int low = Character.digit(segment.charAt(i + 2), 16);
            if (high < 0 || low < 0 || high >= 8) {
                return null;
            }
            out.append((char) (high * 16 + low));
            i += 2;
        }
        return out.toString();
    }
}
