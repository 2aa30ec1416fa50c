package dev.strata.support.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicProvisionerTest {

    private static final TopicSpec PRODUCTION = new TopicSpec("strata.events", 6, (short) 3, 2, -1, 1_032_768);

    @Test
    void shouldCreateTheTopicWithItsDurabilitySetOnTheTopicItself() {
        assertThat(PRODUCTION.configs())
                .isEqualTo(Map.of(
                        "min.insync.replicas", "2",
                        "retention.ms", "-1",
                        "max.message.bytes", "1032768"));
    }

    @Test
    void shouldFindNothingToSayAboutATopicAsConfigured() {
        assertThat(TopicProvisioner.differences(PRODUCTION, 3, "2", "-1")).isEmpty();
    }

    @Test
    void shouldNameEveryDurabilitySettingThatDiffersFromTheConfiguration() {
        assertThat(TopicProvisioner.differences(PRODUCTION, 1, "1", "604800000"))
                .containsExactly(
                        "replication factor 1 (configured: 3, strata.events.topic.replication-factor)",
                        "min.insync.replicas 1 (configured: 2, strata.events.topic.min-insync-replicas)",
                        "retention.ms 604800000 (configured: -1, strata.events.topic.retention-ms)");
    }

    @Test
    void shouldNameASettingTheBrokerDidNotReport() {
        assertThat(TopicProvisioner.differences(PRODUCTION, 3, null, "-1"))
                .containsExactly("min.insync.replicas null (configured: 2, strata.events.topic.min-insync-replicas)");
    }

    @Test
    void shouldRefuseAMinimumInSyncAboveTheReplicationFactor() {
        assertThatThrownBy(() -> new TopicSpec("strata.events", 6, (short) 1, 2, -1, 1_032_768))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("topic strata.events: strata.events.topic.min-insync-replicas (2) must be from 1 to"
                        + " strata.events.topic.replication-factor (1)");
    }

    @Test
    void shouldRefuseARetentionThatIsNeitherUnlimitedNorPositive() {
        assertThatThrownBy(() -> new TopicSpec("strata.events", 6, (short) 1, 1, 0, 1_032_768))
                .hasMessageContaining(
                        "strata.events.topic.retention-ms must be -1 (keep everything) or positive, not 0");
    }
}
