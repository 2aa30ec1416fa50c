package dev.strata.support.http;

import java.util.regex.Pattern;

/**
 * The largest request body the paths matching {@code path} take, and the configuration property that sets it
 * (named in the 413 problem, so a caller knows what limit it met and an operator what to change).
 *
 * @param path a regular expression matched against the whole normalized request path
 */
public record BodyLimit(Pattern path, long maxBytes, String property) {

    public BodyLimit {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("a body limit cannot be negative: " + maxBytes);
        }
    }

    public static BodyLimit of(String pathRegex, long maxBytes, String property) {
        return new BodyLimit(Pattern.compile(pathRegex), maxBytes, property);
    }

    public boolean matches(String normalizedPath) {
        return path.matcher(normalizedPath).matches();
    }
}
