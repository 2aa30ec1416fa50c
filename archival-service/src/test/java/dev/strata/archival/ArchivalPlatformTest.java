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
}
