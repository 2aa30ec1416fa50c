package dev.strata.support.json;

import com.fasterxml.jackson.core.StreamReadConstraints;

/**
 * The bounds every JSON body is parsed within (README, Decisions, "Limits"). Each leaves every legitimate
 * Strata payload through with room to spare, and stops what no payload needs: a 1,000-level nesting that costs
 * stack, a 20 MB string, a 1,000-digit number whose conversion is quadratic.
 */
public final class JsonLimits {

    /** Levels of arrays and objects; a batch body uses 3 before a thing's own properties begin. */
    public static final int MAX_NESTING_DEPTH = 64;

    /** Characters of one string value; the longest legitimate one is a knowledge text (256 KiB). */
    public static final int MAX_STRING_LENGTH = 1_048_576;

    /** Characters of one number; a double needs at most 24. */
    public static final int MAX_NUMBER_LENGTH = 100;

    /** Characters of one field name. */
    public static final int MAX_NAME_LENGTH = 1_024;

    public static final StreamReadConstraints CONSTRAINTS = StreamReadConstraints.builder()
            .maxNestingDepth(MAX_NESTING_DEPTH)
            .maxStringLength(MAX_STRING_LENGTH)
            .maxNumberLength(MAX_NUMBER_LENGTH)
            .maxNameLength(MAX_NAME_LENGTH)
            .build();

    private JsonLimits() {}
}
