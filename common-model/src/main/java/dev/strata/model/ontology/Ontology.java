package dev.strata.model.ontology;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The registry of thing types, connection types (with the thing types each may join) and event types.
 *
 * <p>The ontology is data, not code: the vocabulary of a platform changes far more often than the services
 * that enforce it, so it lives in a JSON file. {@link #loadDefault()} reads the platform's own vocabulary from
 * {@code default-ontology.json} next to this class; a deployment replaces it by configuration, the services
 * reading a path from {@code strata.ontology.location} and calling {@link #load(Path)}, falling back to the
 * default when the property is unset.
 *
 * <p>A connection end in the file names a thing type, a category ({@code "@person"}) or {@code "*"} (any thing
 * type). Those references are resolved to concrete thing types once, while loading, because
 * {@link #mayConnect} runs for every item of 10,000-item batches and must stay a few hash lookups. A file that
 * names anything unknown is rejected as a whole, so a running service never holds a half-valid vocabulary.
 *
 * <p>Instances are immutable and thread-safe. Lookups with {@code null} answer {@code false}/empty.
 */
public final class Ontology {

    /** Category of people-like thing types ({@code user}, {@code creator}). */
    public static final String PERSON = "person";
    /** Category of content-like thing types (the media and course types). */
    public static final String CONTENT = "content";

    /** Classpath location of the default registry. */
    public static final String DEFAULT_RESOURCE = "/dev/strata/model/ontology/default-ontology.json";

    // Names travel through URLs, SQL and event payloads; one spelling convention keeps them unambiguous.
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");
    private static final String ANY = "*";
    private static final String CATEGORY_PREFIX = "@";

    private static final ObjectReader READER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build()
            .readerFor(RegistryFile.class);

    private final int version;
    private final Map<String, String> categoryByThingType;
    private final Map<String, Set<String>> thingTypesByCategory;
    private final Map<String, Ends> endsByConnectionType;
    private final Set<String> eventTypes;

    private Ontology(
            int version,
            Map<String, String> categoryByThingType,
            Map<String, Set<String>> thingTypesByCategory,
            Map<String, Ends> endsByConnectionType,
            Set<String> eventTypes) {
        this.version = version;
        this.categoryByThingType = categoryByThingType;
        this.thingTypesByCategory = thingTypesByCategory;
        this.endsByConnectionType = endsByConnectionType;
        this.eventTypes = eventTypes;
    }

    /** The registry shipped in this module; parsed once and shared. */
    public static Ontology loadDefault() {
        return DefaultHolder.INSTANCE;
    }

    /**
     * Reads a registry from a stream (not closed here).
     *
     * @throws IllegalArgumentException if the content is malformed or inconsistent
     */
    public static Ontology load(InputStream in) {
        return load(in, "ontology");
    }

    /**
     * Reads a registry file, typically the one configured by {@code strata.ontology.location}.
     *
     * @throws IllegalArgumentException if the content is malformed or inconsistent
     * @throws UncheckedIOException     if the file cannot be read
     */
    public static Ontology load(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            return load(in, "ontology " + path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ontology " + path, e);
        }
    }

    /** The registry's own revision, as written in its {@code version} field. */
    public int version() {
        return version;
    }

    public boolean isKnownThingType(String thingType) {
        return thingType != null && categoryByThingType.containsKey(thingType);
    }

    public boolean isKnownConnectionType(String connectionType) {
        return connectionType != null && endsByConnectionType.containsKey(connectionType);
    }

    public boolean isKnownEventType(String eventType) {
        return eventType != null && eventTypes.contains(eventType);
    }

    /**
     * Whether a connection of this type may go from a thing of type {@code fromThingType} to one of type
     * {@code toThingType}. Unknown types of any kind answer {@code false}.
     */
    public boolean mayConnect(String connectionType, String fromThingType, String toThingType) {
        Ends ends = connectionType == null ? null : endsByConnectionType.get(connectionType);
        return ends != null && ends.from.contains(fromThingType) && ends.to.contains(toThingType);
    }

    /** The thing types allowed at the start of a connection type (empty if the type is unknown). */
    public Set<String> allowedFromTypes(String connectionType) {
        Ends ends = connectionType == null ? null : endsByConnectionType.get(connectionType);
        return ends == null ? Set.of() : ends.from;
    }

    /** The thing types allowed at the end of a connection type (empty if the type is unknown). */
    public Set<String> allowedToTypes(String connectionType) {
        Ends ends = connectionType == null ? null : endsByConnectionType.get(connectionType);
        return ends == null ? Set.of() : ends.to;
    }

    public Optional<String> categoryOf(String thingType) {
        return thingType == null ? Optional.empty() : Optional.ofNullable(categoryByThingType.get(thingType));
    }

    /** People-like types count as actors in statistics (followers, students, customers). */
    public boolean isPersonLike(String thingType) {
        return thingType != null && PERSON.equals(categoryByThingType.get(thingType));
    }

    /** Content-like types are what creators publish and audiences consume. */
    public boolean isContentLike(String thingType) {
        return thingType != null && CONTENT.equals(categoryByThingType.get(thingType));
    }

    /** Thing type names, in file order. */
    public Set<String> thingTypes() {
        return Collections.unmodifiableSet(categoryByThingType.keySet());
    }

    /** Connection type names, in file order. */
    public Set<String> connectionTypes() {
        return Collections.unmodifiableSet(endsByConnectionType.keySet());
    }

    /** Event type names, in file order. */
    public Set<String> eventTypes() {
        return eventTypes;
    }

    /** Category names, in order of first use. */
    public Set<String> categories() {
        return Collections.unmodifiableSet(thingTypesByCategory.keySet());
    }

    /** The thing types of a category (empty if the category is unknown). */
    public Set<String> thingTypesIn(String category) {
        return category == null ? Set.of() : thingTypesByCategory.getOrDefault(category, Set.of());
    }

    @Override
    public String toString() {
        return "Ontology[version=" + version + ", thingTypes=" + categoryByThingType.size() + ", connectionTypes="
                + endsByConnectionType.size() + ", eventTypes=" + eventTypes.size() + "]";
    }

    private static Ontology load(InputStream in, String source) {
        RegistryFile file;
        try {
            file = READER.readValue(in);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + ": not a valid registry file: " + e.getMessage(), e);
        }
        if (file == null) {
            throw new IllegalArgumentException(source + ": empty file");
        }
        return new Loader(source).build(file);
    }

    /** Resolved ends of one connection type: concrete thing type names only. */
    private record Ends(Set<String> from, Set<String> to) {}

    private static final class DefaultHolder {
        static final Ontology INSTANCE = loadDefaultResource();

        private static Ontology loadDefaultResource() {
            try (InputStream in = Ontology.class.getResourceAsStream(DEFAULT_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("default ontology missing from classpath: " + DEFAULT_RESOURCE);
                }
                return load(in, "default ontology");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read default ontology", e);
            }
        }
    }

    /** Validates the raw file and resolves categories; every message names the entry at fault. */
    private static final class Loader {
        private final String source;

        Loader(String source) {
            this.source = source;
        }

        Ontology build(RegistryFile file) {
            if (file.version() == null || file.version() < 1) {
                throw fail("\"version\" must be a positive integer");
            }
            List<ThingTypeEntry> thingEntries = required(file.thingTypes(), "thingTypes");
            List<ConnectionTypeEntry> connectionEntries = required(file.connectionTypes(), "connectionTypes");
            List<EventTypeEntry> eventEntries = required(file.eventTypes(), "eventTypes");
            if (thingEntries.isEmpty()) {
                throw fail("\"thingTypes\" must list at least one thing type");
            }

            Map<String, String> categoryByThingType = new LinkedHashMap<>();
            Map<String, Set<String>> typesByCategory = new LinkedHashMap<>();
            for (int i = 0; i < thingEntries.size(); i++) {
                String at = "thingTypes[" + i + "]";
                ThingTypeEntry entry = entry(thingEntries.get(i), at);
                String name = name(entry.name(), at, "thing type");
                String category = name(entry.category(), at + " (" + name + ") \"category\"", "category");
                if (categoryByThingType.putIfAbsent(name, category) != null) {
                    throw fail("duplicate thing type \"" + name + "\" at " + at);
                }
                typesByCategory
                        .computeIfAbsent(category, c -> new LinkedHashSet<>())
                        .add(name);
            }
            Set<String> allThingTypes = Collections.unmodifiableSet(new LinkedHashSet<>(categoryByThingType.keySet()));
            Map<String, Set<String>> thingTypesByCategory = new LinkedHashMap<>();
            typesByCategory.forEach(
                    (category, types) -> thingTypesByCategory.put(category, Collections.unmodifiableSet(types)));

            Map<String, Ends> endsByConnectionType = new LinkedHashMap<>();
            for (int i = 0; i < connectionEntries.size(); i++) {
                String at = "connectionTypes[" + i + "]";
                ConnectionTypeEntry entry = entry(connectionEntries.get(i), at);
                String name = name(entry.name(), at, "connection type");
                String where = at + " (" + name + ")";
                Ends ends = new Ends(
                        resolve(entry.from(), where, "from", allThingTypes, categoryByThingType, thingTypesByCategory),
                        resolve(entry.to(), where, "to", allThingTypes, categoryByThingType, thingTypesByCategory));
                if (endsByConnectionType.putIfAbsent(name, ends) != null) {
                    throw fail("duplicate connection type \"" + name + "\" at " + at);
                }
            }

            Set<String> eventTypes = new LinkedHashSet<>();
            for (int i = 0; i < eventEntries.size(); i++) {
                String at = "eventTypes[" + i + "]";
                String name = name(entry(eventEntries.get(i), at).name(), at, "event type");
                if (!eventTypes.add(name)) {
                    throw fail("duplicate event type \"" + name + "\" at " + at);
                }
            }

            return new Ontology(
                    file.version(),
                    Collections.unmodifiableMap(categoryByThingType),
                    Collections.unmodifiableMap(thingTypesByCategory),
                    Collections.unmodifiableMap(endsByConnectionType),
                    Collections.unmodifiableSet(eventTypes));
        }

        private Set<String> resolve(
                List<String> refs,
                String where,
                String end,
                Set<String> allThingTypes,
                Map<String, String> categoryByThingType,
                Map<String, Set<String>> thingTypesByCategory) {
            if (refs == null || refs.isEmpty()) {
                throw fail(where + ": \"" + end + "\" must list at least one thing type, @category or \"*\"");
            }
            Set<String> resolved = new LinkedHashSet<>();
            for (String ref : refs) {
                if (ANY.equals(ref)) {
                    resolved.addAll(allThingTypes);
                } else if (ref != null && ref.startsWith(CATEGORY_PREFIX)) {
                    Set<String> members = thingTypesByCategory.get(ref.substring(CATEGORY_PREFIX.length()));
                    if (members == null) {
                        throw fail(where + ": \"" + end + "\" names unknown category \"" + ref + "\"; known: "
                                + thingTypesByCategory.keySet());
                    }
                    resolved.addAll(members);
                } else if (ref != null && categoryByThingType.containsKey(ref)) {
                    resolved.add(ref);
                } else {
                    throw fail(where + ": \"" + end + "\" names unknown thing type \"" + ref
                            + "\" (expected a thing type, @category or \"*\")");
                }
            }
            // HashSet: the hot path only asks contains(), and a plain hash set answers null with false.
            return Collections.unmodifiableSet(new HashSet<>(resolved));
        }

        private <T> List<T> required(List<T> list, String field) {
            if (list == null) {
                throw fail("\"" + field + "\" is missing");
            }
            return list;
        }

        private <T> T entry(T entry, String at) {
            if (entry == null) {
                throw fail(at + " is null");
            }
            return entry;
        }

        private String name(String value, String at, String what) {
            if (value == null || value.isBlank()) {
                throw fail(at + ": " + what + " name is missing");
            }
            if (!NAME.matcher(value).matches()) {
                throw fail(at + ": " + what + " name \"" + value
                        + "\" must be lower case letters, digits and underscores, starting with a letter");
            }
            return value;
        }

        private IllegalArgumentException fail(String message) {
            return new IllegalArgumentException(source + ": " + message);
        }
    }

    // The file's shape. Unknown fields (descriptions, comments) are allowed so the file can document itself.

    @JsonIgnoreProperties(ignoreUnknown = true)
    private record RegistryFile(
            Integer version,
            List<ThingTypeEntry> thingTypes,
            List<ConnectionTypeEntry> connectionTypes,
            List<EventTypeEntry> eventTypes) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    private record ThingTypeEntry(String name, String category) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    private record ConnectionTypeEntry(String name, List<String> from, List<String> to) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    private record EventTypeEntry(String name) {}
}
