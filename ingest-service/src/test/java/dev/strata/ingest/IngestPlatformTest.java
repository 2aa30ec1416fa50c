package dev.strata.ingest;

import dev.strata.testing.PlatformContractTest;
import dev.strata.testing.StrataTestStack;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(StrataTestStack.class)
class IngestPlatformTest extends PlatformContractTest {

    @Override
    protected String schema() {
        return "ingest";
    }

    @Override
    protected String ownedTable() {
        return "groups";
    }
}
