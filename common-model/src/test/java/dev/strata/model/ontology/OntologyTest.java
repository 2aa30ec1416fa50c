package dev.strata.model.ontology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.model.events.EventType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OntologyTest {

    private final Ontology ontology = Ontology.loadDefault();

    @Test
    void shouldLoadDefaultRegistryWithTheSpecVocabulary() {
        assertThat(ontology.version()).isEqualTo(1);
        assertThat(ontology.thingTypes())
                .contains(
                        "user",
                        "creator",
                        "organization",
                        "blog_post",
                        "video",
                        "podcast",
                        "course",
                        "lesson",
                        "product",
                        "membership_tier",
                        "token",
                        "agent",
                        "ai_clone",
                        "document");
        assertThat(ontology.connectionTypes())
                .containsExactlyInAnyOrder(
                        "owns",
                        "created_by",
                        "clone_of",
                        "trained_on",
                        "powers",
                        "authored",
                        "generated_by",
                        "published_to",
                        "part_of",
                        "references",
                        "member_of",
                        "following",
                        "moderates",
                        "participated_in",
                        "manages",
                        "reports_to",
                        "collaborates_with",
                        "holds_tokens",
                        "staked_in",
                        "earned_from",
                        "purchased",
                        "enrolled_in",
                        "completed",
                        "teaching",
                        "transacted",
                        "notified",
                        "referred",
                        "communicated",
                        "delegated",
                        "approved",
                        "fulfilled");
        assertThat(ontology.eventTypes())
                .contains(
                        "thing_created",
                        "thing_updated",
                        "thing_deleted",
                        "connection_created",
                        "batch_import",
                        "revenue_generated",
                        "content_event",
                        "user_login",
                        "payment_event",
                        "api_call",
                        "quota_threshold_crossed",
                        "events_archived",
                        "group_created",
                        "group_plan_changed",
                        "knowledge_created");
    }

    @Test
    void shouldKnowEveryEventTypeTheCodeEmits() {
        for (String type : new String[] {
            EventType.THING_CREATED,
            EventType.GROUP_PLAN_CHANGED,
            EventType.QUOTA_THRESHOLD_CROSSED,
            EventType.EVENTS_ARCHIVED,
            EventType.KNOWLEDGE_CREATED
        }) {
            assertThat(ontology.isKnownEventType(type)).as(type).isTrue();
        }
    }

    @Test
    void shouldShareOneDefaultInstance() {
        assertThat(Ontology.loadDefault()).isSameAs(ontology);
    }

    @Test
    void shouldTellKnownFromUnknownThingTypes() {
        assertThat(ontology.isKnownThingType("creator")).isTrue();
        assertThat(ontology.isKnownThingType("ai_clone")).isTrue();
        assertThat(ontology.isKnownThingType("spaceship")).isFalse();
        assertThat(ontology.isKnownThingType("Creator")).isFalse();
        assertThat(ontology.isKnownThingType(null)).isFalse();
    }

    @Test
    void shouldTellKnownFromUnknownEventTypes() {
        assertThat(ontology.isKnownEventType("revenue_generated")).isTrue();
        assertThat(ontology.isKnownEventType("teleported")).isFalse();
    }

    @Test
    void shouldAllowFollowingOnlyBetweenPeople() {
        assertThat(ontology.mayConnect("following", "user", "creator")).isTrue();
        assertThat(ontology.mayConnect("following", "creator", "user")).isTrue();
        assertThat(ontology.mayConnect("following", "user", "video")).isFalse();
        assertThat(ontology.mayConnect("following", "video", "user")).isFalse();
    }

    @Test
    void shouldAllowAuthoredOnlyFromPeopleToContent() {
        assertThat(ontology.mayConnect("authored", "creator", "blog_post")).isTrue();
        assertThat(ontology.mayConnect("authored", "user", "video")).isTrue();
        assertThat(ontology.mayConnect("authored", "blog_post", "creator")).isFalse();
        assertThat(ontology.mayConnect("authored", "creator", "creator")).isFalse();
    }

    @Test
    void shouldAllowEnrollingOnlyInCourses() {
        assertThat(ontology.mayConnect("enrolled_in", "user", "course")).isTrue();
        assertThat(ontology.mayConnect("enrolled_in", "user", "video")).isFalse();
        assertThat(ontology.mayConnect("enrolled_in", "course", "user")).isFalse();
    }

    @Test
    void shouldAllowAnyTypeAtAWildcardEndButNoUnknownType() {
        assertThat(ontology.mayConnect("owns", "organization", "token")).isTrue();
        assertThat(ontology.mayConnect("references", "lesson", "document")).isTrue();
        assertThat(ontology.mayConnect("owns", "creator", "spaceship")).isFalse();
        assertThat(ontology.mayConnect("owns", null, "video")).isFalse();
    }

    @Test
    void shouldResolveConcreteAndCategoryEnds() {
        assertThat(ontology.mayConnect("clone_of", "ai_clone", "creator")).isTrue();
        assertThat(ontology.mayConnect("clone_of", "agent", "creator")).isFalse();
        assertThat(ontology.mayConnect("completed", "user", "lesson")).isTrue();
        assertThat(ontology.mayConnect("holds_tokens", "user", "token")).isTrue();
        assertThat(ontology.mayConnect("holds_tokens", "user", "product")).isFalse();
        assertThat(ontology.mayConnect("part_of", "lesson", "course")).isTrue();
        assertThat(ontology.mayConnect("member_of", "user", "membership_tier")).isTrue();
        assertThat(ontology.mayConnect("trained_on", "ai_clone", "document")).isTrue();
        assertThat(ontology.mayConnect("powers", "agent", "product")).isTrue();
    }

    @Test
    void shouldRefuseUnknownConnectionType() {
        assertThat(ontology.isKnownConnectionType("likes")).isFalse();
        assertThat(ontology.isKnownConnectionType("following")).isTrue();
        assertThat(ontology.mayConnect("likes", "user", "creator")).isFalse();
        assertThat(ontology.mayConnect(null, "user", "creator")).isFalse();
        assertThat(ontology.allowedFromTypes("likes")).isEmpty();
    }

    @Test
    void shouldExposeAllowedEndsAsConcreteTypes() {
        assertThat(ontology.allowedFromTypes("following")).containsExactlyInAnyOrder("user", "creator");
        assertThat(ontology.allowedToTypes("enrolled_in")).containsExactly("course");
    }

    @Test
    void shouldClassifyThingTypesByCategory() {
        assertThat(ontology.categoryOf("creator")).contains("person");
        assertThat(ontology.categoryOf("podcast")).contains("content");
        assertThat(ontology.categoryOf("token")).contains("commerce");
        assertThat(ontology.categoryOf("spaceship")).isEmpty();
        assertThat(ontology.isPersonLike("user")).isTrue();
        assertThat(ontology.isPersonLike("creator")).isTrue();
        assertThat(ontology.isPersonLike("organization")).isFalse();
        assertThat(ontology.isContentLike("video")).isTrue();
        assertThat(ontology.isContentLike("course")).isTrue();
        assertThat(ontology.isContentLike("lesson")).isTrue();
        assertThat(ontology.isContentLike("product")).isFalse();
        assertThat(ontology.thingTypesIn("person")).containsExactlyInAnyOrder("user", "creator");
    }

    @Test
    void shouldReturnUnmodifiableNameSets() {
        assertThatThrownBy(() -> ontology.thingTypes().add("spaceship"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ontology.connectionTypes().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ontology.eventTypes().remove("api_call"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ontology.allowedToTypes("owns").clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void shouldReplaceTheDefaultWithACustomRegistryFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("ontology.json");
        Files.writeString(file, """
                {
                  "version": 7,
                  "thingTypes": [
                    { "name": "member",   "category": "person" },
                    { "name": "workshop", "category": "content" }
                  ],
                  "connectionTypes": [
                    { "name": "attended", "from": ["@person"], "to": ["workshop"] }
                  ],
                  "eventTypes": [ { "name": "workshop_held" } ]
                }
                """);

        Ontology custom = Ontology.load(file);

        assertThat(custom.version()).isEqualTo(7);
        assertThat(custom.isKnownThingType("workshop")).isTrue();
        assertThat(custom.isKnownThingType("video")).isFalse();
        assertThat(custom.isKnownConnectionType("attended")).isTrue();
        assertThat(custom.isKnownConnectionType("following")).isFalse();
        assertThat(custom.mayConnect("attended", "member", "workshop")).isTrue();
        assertThat(custom.mayConnect("attended", "workshop", "member")).isFalse();
        assertThat(custom.isKnownEventType("workshop_held")).isTrue();
        assertThat(custom.isKnownEventType("thing_created")).isFalse();
        assertThat(custom.isPersonLike("member")).isTrue();
        assertThat(Ontology.loadDefault().isKnownThingType("workshop")).isFalse();
    }

    @Test
    void shouldRejectConnectionEndNamingUnknownThingType() {
        assertThatThrownBy(() -> load("""
                {
                  "version": 1,
                  "thingTypes": [ { "name": "user", "category": "person" } ],
                  "connectionTypes": [ { "name": "following", "from": ["user"], "to": ["usr"] } ],
                  "eventTypes": []
                }
                """))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("connectionTypes[0] (following)")
                .hasMessageContaining("\"to\"")
                .hasMessageContaining("unknown thing type \"usr\"");
    }

    @Test
    void shouldRejectConnectionEndNamingUnknownCategory() {
        assertThatThrownBy(() -> load("""
                {
                  "version": 1,
                  "thingTypes": [ { "name": "user", "category": "person" } ],
                  "connectionTypes": [ { "name": "authored", "from": ["@person"], "to": ["@content"] } ],
                  "eventTypes": []
                }
                """))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("connectionTypes[0] (authored)")
                .hasMessageContaining("unknown category \"@content\"");
    }

    @Test
    void shouldRejectDuplicateThingType() {
        assertThatThrownBy(() -> load("""
                {
                  "version": 1,
                  "thingTypes": [
                    { "name": "user",  "category": "person" },
                    { "name": "video", "category": "content" },
                    { "name": "user",  "category": "content" }
                  ],
                  "connectionTypes": [],
                  "eventTypes": []
                }
                """))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duplicate thing type \"user\" at thingTypes[2]");
    }

    @Test
    void shouldRejectDuplicateConnectionAndEventTypes() {
        assertThatThrownBy(() -> load("""
                {
                  "version": 1,
                  "thingTypes": [ { "name": "user", "category": "person" } ],
                  "connectionTypes": [
                    { "name": "following", "from": ["*"], "to": ["*"] },
                    { "name": "following", "from": ["user"], "to": ["user"] }
                  ],
                  "eventTypes": []
                }
                """))
                .hasMessageContaining("duplicate connection type \"following\" at connectionTypes[1]");
        assertThatThrownBy(() -> load("""
                {
                  "version": 1,
                  "thingTypes": [ { "name": "user", "category": "person" } ],
                  "connectionTypes": [],
                  "eventTypes": [ { "name": "api_call" }, { "name": "api_call" } ]
                }
                """)).hasMessageContaining("duplicate event type \"api_call\" at eventTypes[1]");
    }

    @Test
    void shouldRejectEntriesWithMissingParts() {
        assertThatThrownBy(() -> load("""
                { "version": 1, "thingTypes": [ { "name": "user" } ], "connectionTypes": [], "eventTypes": [] }
                """))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("thingTypes[0] (user)")
                .hasMessageContaining("category name is missing");
        assertThatThrownBy(() -> load("""
                {
                  "version": 1,
                  "thingTypes": [ { "name": "user", "category": "person" } ],
                  "connectionTypes": [ { "name": "following", "from": ["user"] } ],
                  "eventTypes": []
                }
                """))
                .hasMessageContaining("connectionTypes[0] (following): \"to\" must list at least one");
        assertThatThrownBy(() -> load("""
                { "thingTypes": [ { "name": "user", "category": "person" } ], "connectionTypes": [], "eventTypes": [] }
                """)).hasMessageContaining("\"version\" must be a positive integer");
        assertThatThrownBy(() -> load("""
                { "version": 1, "thingTypes": [ { "name": "user", "category": "person" } ], "eventTypes": [] }
                """)).hasMessageContaining("\"connectionTypes\" is missing");
    }

    @Test
    void shouldRejectNamesOutsideTheSpellingConvention() {
        assertThatThrownBy(() -> load("""
                {
                  "version": 1,
                  "thingTypes": [ { "name": "Blog Post", "category": "content" } ],
                  "connectionTypes": [],
                  "eventTypes": []
                }
                """))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("thingTypes[0]: thing type name \"Blog Post\"");
    }

    @Test
    void shouldRejectMalformedJson() {
        assertThatThrownBy(() -> load("{ \"version\": 1, \"thingTypes\": ["))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("ontology: not a valid registry file");
    }

    @Test
    void shouldNameTheFileInErrorsAndReportUnreadableFiles(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{ \"version\": 1, \"thingTypes\": [], \"connectionTypes\": [], \"eventTypes\": [] }");

        assertThatThrownBy(() -> Ontology.load(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(bad.toString())
                .hasMessageContaining("at least one thing type");
        assertThatThrownBy(() -> Ontology.load(dir.resolve("missing.json"))).isInstanceOf(UncheckedIOException.class);
    }

    private static Ontology load(String json) {
        InputStream in = new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
        return Ontology.load(in);
    }
}
