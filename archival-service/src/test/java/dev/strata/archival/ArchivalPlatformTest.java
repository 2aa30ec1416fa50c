package dev.strata.archival;

import dev.strata.testing.PlatformContractTest;
import dev.strata.testing.StrataTestStack;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Set;

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

    @Override
    protected String groupReadPath() {
        return "/groups/%s/archival/runs";
    }

    @Override
    protected JsonEndpoint jsonEndpoint() {
        return new JsonEndpoint("POST", "/groups/%s/archival/restore");
    }

    @Override
    protected Set<String> bodilessWrites() {
        return Set.of("POST /archival/runs", "POST /groups/{groupId}/archival");
    }
}
