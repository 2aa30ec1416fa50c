package dev.strata.model.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void shouldNameTheSharedTopicAndChannels() {
        assertThat(Topics.EVENTS).isEqualTo("strata.events");
        assertThat(Topics.EVENTS_IN).isEqualTo("events-in");
        assertThat(Topics.EVENTS_DLQ).isEqualTo("strata.events.dlq");
    }
}
