package dev.strata.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlTest {

    @Test
    void shouldFindTheMetricOfARateWithLabelMatchersAndGrafanaVariables() {
        assertThat(
                        PromQl.metricNames(
                                "sum by (kind) (rate(strata_ingest_rows_total{job=~\"$job\", kind!=\"x y\"}[$__rate_interval]))"))
                .containsExactly("strata_ingest_rows_total");
    }

    @Test
    void shouldFindTheBucketsOfAHistogramQuantileButNotTheQuantileNorTheGroupingLabels() {
        assertThat(PromQl.metricNames("histogram_quantile(0.95, sum by (job, le) "
                        + "(rate(http_server_requests_seconds_bucket{job=~\"${job}\"}[5m])))"))
                .containsExactly("http_server_requests_seconds_bucket");
    }

    @Test
    void shouldFindEveryOperandOfABinaryExpression() {
        assertThat(PromQl.metricNames("sum without (id) (jvm_memory_used_bytes{area=\"heap\"}) / on (instance) "
                        + "group_left (job) sum(jvm_memory_max_bytes > 0) or vector(0) offset 5m and up == bool 1e3"))
                .containsExactly("jvm_memory_used_bytes", "jvm_memory_max_bytes", "up");
    }

    @Test
    void shouldFindABareSelectorAndANameMatcher() {
        assertThat(PromQl.metricNames("strata_outbox_backlog")).containsExactly("strata_outbox_backlog");
        assertThat(PromQl.metricNames("{__name__=\"strata_outbox_lag_seconds\", job=\"x\"}"))
                .containsExactly("strata_outbox_lag_seconds");
    }

    @Test
    void shouldIgnoreFunctionsWithoutMetricsAndSubqueryRanges() {
        assertThat(PromQl.metricNames("time() - max_over_time(process_start_time_seconds[1h:5m])"))
                .containsExactly("process_start_time_seconds");
        assertThat(PromQl.metricNames("vector(1)")).isEmpty();
    }

    @Test
    void shouldReadTheMetricOfALabelValuesVariable() {
        assertThat(PromQl.variableMetricNames("label_values(jvm_memory_used_bytes{area=\"heap\"}, job)"))
                .containsExactly("jvm_memory_used_bytes");
        assertThat(PromQl.variableMetricNames("label_values(job)")).isEmpty();
    }
}
