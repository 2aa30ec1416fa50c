package dev.strata.support.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/** A JSON string (value or field name) held U+0000, which no Strata text may contain (in a time: any control character, which the time parsers would trim away). */
public class NulCharacterException extends MismatchedInputException {

    public NulCharacterException(JsonParser parser) {
        super(parser, "NUL character in a string", String.class);
    }
}
