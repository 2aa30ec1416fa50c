package dev.strata.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.model.events.Topics;
import dev.strata.support.messaging.EventTopicInitializer;
import dev.strata.testing.StrataTestStack;
import dev.strata.testing.TestServers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

/** The event topic's record size follows strata.events.max-event-bytes, on a real broker. */
@QuarkusTest
@WithTestResource(StrataTestStack.class)
class EventTopicTest {

    private static final ConfigResource TOPIC = new ConfigResource(ConfigResource.Type.TOPIC, Topics.EVENTS);
    /** max-event-bytes (1,000,000) plus 16 KiB for the record around an event, plus 16 KiB for its batch. */
    private static final String EXPECTED = "1032768";

    @Inject
    EventTopicInitializer topics;

    @Test
    void shouldRaiseATopicFoundWithSmallerRecordsToWhatTheEventLimitNeeds() throws Exception {
        try (AdminClient admin = AdminClient.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestServers.ensureStarted().kafkaBootstrap()))) {
            assertThat(maxMessageBytes(admin)).as("at start").isEqualTo(EXPECTED);
            // as a topic created by hand, or before the limit was raised, would be (only a moment: larger events
            // than this would be refused meanwhile)
            setMaxMessageBytes(admin, "900000");

            assertThat(topics.ensureTopic()).isTrue();

            assertThat(maxMessageBytes(admin)).isEqualTo(EXPECTED);
        }
    }

    private static String maxMessageBytes(AdminClient admin) throws Exception {
        return admin.describeConfigs(List.of(TOPIC))
                .all()
                .get(20, TimeUnit.SECONDS)
                .get(TOPIC)
                .get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG)
                .value();
    }

    private static void setMaxMessageBytes(AdminClient admin, String bytes) throws Exception {
        admin.incrementalAlterConfigs(Map.of(
                        TOPIC,
                        List.of(new AlterConfigOp(
                                new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, bytes),
                                AlterConfigOp.OpType.SET))))
                .all()
                .get(20, TimeUnit.SECONDS);
    }
}
