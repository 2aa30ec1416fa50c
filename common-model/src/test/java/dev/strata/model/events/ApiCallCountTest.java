package dev.strata.model.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ApiCallCountTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldReadTheMetersCountThenTheClientsMetadataCountAndOneWithout() throws Exception {
        assertThat(ApiCallCount.of(JSON.readTree("{\"count\":7,\"metadata\":{\"count\":3}}")))
                .isEqualTo(7);
        assertThat(ApiCallCount.of(JSON.readTree("{\"metadata\":{\"count\":3}}")))
                .isEqualTo(3);
        assertThat(ApiCallCount.of(JSON.readTree("{\"metadata\":{}}"))).isEqualTo(1);
        assertThat(ApiCallCount.of(JSON.readTree("{\"count\":null}"))).isEqualTo(1);
        assertThat(ApiCallCount.of(null)).isEqualTo(1);
        assertThat(ApiCallCount.of(JSON.readTree("{\"count\":9223372036854775807}")))
                .isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldRefuseCountsNoCounterCanHold() throws Exception {
        for (String data : new String[] {
            "{\"count\":-1}",
            "{\"count\":1.5}",
            "{\"count\":\"3\"}",
            "{\"metadata\":{\"count\":9223372036854775808}}",
            "{\"count\":true}"
        }) {
            assertThatThrownBy(() -> ApiCallCount.of(JSON.readTree(data)))
                    .as(data)
                    .isInstanceOf(InvalidEventException.class);
        }
    }
}
