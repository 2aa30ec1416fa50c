package dev.strata.archival;

import dev.strata.testing.PlatformContractTest;
import dev.strata.testing.StrataTestStack;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(StrataTestStack.class)
class ArchivalPlatformTest extends PlatformContractTest {

    @Override
    protected String schema() {
        return "archival";
    }

    @Override
    protected String ownedTable() {
        return "archive_runs";
    }

    /** The group's only path answers POST; GET reaches the edge's checks all the same (then 405). */
    @Override
    protected String groupReadPath() {
        return "/groups/%s/archival";
    }

    @Override
    protected JsonEndpoint jsonEndpoint() {
        return new JsonEndpoint("POST", "/groups/%s/archival/restore");
    }
}
