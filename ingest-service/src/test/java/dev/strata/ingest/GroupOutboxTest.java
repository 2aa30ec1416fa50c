package dev.strata.ingest;

import static dev.strata.ingest.IngestClient.newGroup;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.testing.StrataTestStack;
import dev.strata.testing.TestDatabase;
import dev.strata.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A group's write and its event commit together (GroupService: Panache's transaction, the outbox row inserted
 * through the same session). A trigger refuses the outbox row only once the group's row is visible in the same
 * transaction, so the failure comes after the group write; neither may be left behind.
 */
@QuarkusTest
@WithTestResource(StrataTestStack.class)
class GroupOutboxTest {

    private static void refuseOutboxRows(String condition, String groupWritten) {
        TestDatabase.update("CREATE OR REPLACE FUNCTION ingest.test_refuse_outbox() RETURNS trigger LANGUAGE plpgsql"
                + " AS $$ BEGIN IF EXISTS (SELECT 1 FROM ingest.groups g WHERE " + groupWritten + ") THEN"
                + " RAISE EXCEPTION 'the test refuses this outbox row'; END IF; RETURN NEW; END $$");
        TestDatabase.update("CREATE TRIGGER test_refuse_outbox BEFORE INSERT ON ingest.outbox FOR EACH ROW WHEN ("
                + condition + ") EXECUTE FUNCTION ingest.test_refuse_outbox()");
    }

    private static void acceptOutboxRows() {
        TestDatabase.update("DROP TRIGGER IF EXISTS test_refuse_outbox ON ingest.outbox");
        TestDatabase.update("DROP FUNCTION IF EXISTS ingest.test_refuse_outbox()");
    }

    @Test
    void shouldLeaveNeitherTheGroupNorItsEventWhenTheOutboxInsertFailsAfterTheGroupWrite() {
        String name = "refused-" + UUID.randomUUID();
        refuseOutboxRows("NEW.payload LIKE '%" + name + "%'", "g.id = NEW.group_id AND g.name = '" + name + "'");
        try {
            given().auth()
                    .oauth2(TestTokens.admin())
                    .contentType("application/json")
                    .body("{\"name\":\"" + name + "\",\"plan\":\"pro\"}")
                    .post("/groups")
                    .then()
                    .statusCode(500);
        } finally {
            acceptOutboxRows();
        }
        assertThat(TestDatabase.scalar("SELECT count(*) FROM ingest.groups WHERE name = ?", name))
                .isZero();
        assertThat(TestDatabase.scalar("SELECT count(*) FROM ingest.outbox WHERE payload LIKE ?", "%" + name + "%"))
                .isZero();
    }

    @Test
    void shouldKeepThePlanAndWriteNoEventWhenTheOutboxInsertFailsAfterThePlanChange() {
        UUID group = newGroup("starter");
        refuseOutboxRows(
                "NEW.group_id = '" + group + "' AND NEW.payload LIKE '%group_plan_changed%'",
                "g.id = NEW.group_id AND g.plan = 'pro'");
        try {
            given().auth()
                    .oauth2(TestTokens.admin())
                    .contentType("application/json")
                    .body("{\"plan\":\"pro\"}")
                    .put("/groups/{g}/plan", group)
                    .then()
                    .statusCode(500);
        } finally {
            acceptOutboxRows();
        }
        assertThat(TestDatabase.scalar("SELECT count(*) FROM ingest.groups WHERE id = ? AND plan = 'starter'", group))
                .isEqualTo(1);
        assertThat(TestDatabase.scalar(
                        "SELECT count(*) FROM ingest.outbox WHERE group_id = ? AND payload LIKE '%group_plan_changed%'",
                        group))
                .isZero();
    }
}
