package dev.strata.hostile;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code {name}} stands for in a case's path, query, headers and bodies: the ids the setup created
 * ({@link #NAMES}), a fresh UUID per case ({@code {randomUuid}}), and two functions, {@code {b64:text}} (base64url
 * without padding, for crafted cursors) and {@code {repeat:n:text}} (overlong strings without writing them out).
 * Innermost first, so {@code {b64:{ownThing}|...}} works. Any other brace text is left as it is: malformed JSON
 * is full of braces.
 */
final class Placeholders {

    /**
     * The names the setup fills. {@code own}: the attacker's group (tenant A, whose token the cases mostly carry);
     * {@code other}: the victim's group (tenant B). Things: a creator ({@code ownThing}, {@code otherThing}), a user
     * and a video in each group.
     */
    static final Set<String> NAMES = Set.of(
            "own",
            "other",
            "ownThing",
            "ownUser",
            "ownVideo",
            "otherThing",
            "otherUser",
            "otherVideo",
            "ownConnection",
            "otherConnection",
            "ownEvent",
            "otherEvent",
            "ownKnowledge",
            "otherKnowledge",
            "ownImport",
            "otherImport",
            "ownReservation",
            "otherReservation",
            "archivalRun",
            "randomUuid");

    private static final Pattern PLACEHOLDER =
            Pattern.compile("\\{(?:(" + String.join("|", NAMES) + ")|b64:([^{}]*)|repeat:(\\d{1,7}):([^{}]*))}");

    private final Map<String, String> values;

    Placeholders(Map<String, String> values) {
        if (!values.keySet().containsAll(NAMES)) {
            throw new IllegalArgumentException("missing placeholder values: "
                    + NAMES.stream().filter(name -> !values.containsKey(name)).toList());
        }
        this.values = Map.copyOf(values);
    }

    /** Every name bound to a well-formed UUID of its own, for checking the corpus without a running stack. */
    static Placeholders dummies() {
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : NAMES) {
            values.put(
                    name,
                    UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8))
                            .toString());
        }
        return new Placeholders(values);
    }

    /** The same values, with {@code {randomUuid}} fresh: one per case. */
    Placeholders forCase() {
        Map<String, String> copy = new LinkedHashMap<>(values);
        copy.put("randomUuid", UUID.randomUUID().toString());
        return new Placeholders(copy);
    }

    String value(String name) {
        return values.get(name);
    }

    String apply(String text) {
        if (text == null) {
            return null;
        }
        String current = text;
        while (true) {
            Matcher m = PLACEHOLDER.matcher(current);
            StringBuilder out = new StringBuilder();
            boolean changed = false;
            while (m.find()) {
                String replacement;
                if (m.group(1) != null) {
                    replacement = values.get(m.group(1));
                } else if (m.group(2) != null) {
                    replacement = Base64.getUrlEncoder()
                            .withoutPadding()
                            .encodeToString(m.group(2).getBytes(StandardCharsets.UTF_8));
                } else {
                    replacement = m.group(4).repeat(Integer.parseInt(m.group(3)));
                }
                m.appendReplacement(out, Matcher.quoteReplacement(replacement));
                changed = true;
            }
            if (!changed) {
                return current;
            }
            m.appendTail(out);
            current = out.toString();
        }
    }
}
