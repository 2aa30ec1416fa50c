package dev.strata.ingest;

import dev.strata.testing.PlatformContractTest;
import dev.strata.testing.StrataTestStack;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Set;
import org.eclipse.microprofile.config.ConfigProvider;

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

    /** The question about a batch's outcome is a POST (answering may write the fence) with nothing to send. */
    @Override
    protected Set<String> bodilessWrites() {
        return Set.of("POST /groups/{groupId}/batches/{batchId}:resolve");
    }

    @Override
    protected String groupReadPath() {
        return "/groups/%s/things";
    }

    @Override
    protected JsonEndpoint jsonEndpoint() {
        return new JsonEndpoint("POST", "/groups/%s/things:batch");
    }

    @Override
    protected long jsonEndpointLimit() {
        return ConfigProvider.getConfig().getValue("strata.ingest.max-batch-body-bytes", Long.class);
    }

    @Override
    protected String jsonEndpointLimitProperty() {
        return "strata.ingest.max-batch-body-bytes";
    }
}
