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

    @Override
    protected String groupReadPath() {
        return "/groups/%s/things";
    }

    @Override
    protected JsonEndpoint jsonEndpoint() {
        return new JsonEndpoint("POST", "/groups/%s/things:batch");
    }

    /** {@code %test.strata.ingest.max-batch-body-bytes} */
    @Override
    protected long jsonEndpointLimit() {
        return 4_000_000;
    }

    @Override
    protected String jsonEndpointLimitProperty() {
        return "strata.ingest.max-batch-body-bytes";
    }
}
