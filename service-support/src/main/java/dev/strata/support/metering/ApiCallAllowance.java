package dev.strata.support.metering;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.smallrye.mutiny.Uni;
import java.util.UUID;

/**
 * Where a group's API-call allowance for the month comes from: quota-service, which counts the {@code api_call}
 * events, asked over HTTP ({@link RemoteApiCallAllowance}). quota-service itself has no limit to apply: its group
 * endpoints are all the group's quota reads, which stay open.
 */
public interface ApiCallAllowance {

    /**
     * The group's {@code api_calls_per_month} limit ({@code null}: unlimited) and the calls counted this UTC month;
     * {@code null} for a group quota-service does not know (nothing to enforce).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Allowance(Long limit, long used) {}

    Uni<Allowance> of(UUID groupId);
}
