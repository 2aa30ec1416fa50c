package dev.strata.metrics.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.strata.metrics.service.CreatorStats;
import dev.strata.metrics.service.Freshness;
import dev.strata.metrics.service.GraphViews.ActivityPage;
import dev.strata.metrics.service.GraphViews.KnowledgeView;
import dev.strata.metrics.service.GraphViews.RelationshipPage;
import dev.strata.metrics.service.GraphViews.Relationships;
import dev.strata.metrics.service.GroupMetrics;
import dev.strata.metrics.service.ThingView;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.List;
import java.util.UUID;

/** Response bodies: the answer plus {@code _freshness}, and the freshness headers. */
final class Responses {

    /** Set (to {@code true}) when the read waited for {@code ?position=} and gave up: the answer is stale. */
    static final String STALE_HEADER = "Strata-Stale";

    /** The id of the last event applied for the group, as in {@code _freshness.position}. */
    static final String POSITION_HEADER = "Strata-Position";

    private Responses() {
    }

    record CreatorStatsResponse(@JsonUnwrapped ThingView thing, @JsonProperty("_computed") CreatorStats computed,
                                @JsonProperty("_freshness") Freshness freshness) {
    }

    record GroupMetricsResponse(UUID groupId, @JsonProperty("_computed") GroupMetrics computed,
                                @JsonProperty("_freshness") Freshness freshness) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ThingResponse(@JsonUnwrapped ThingView thing,
                         @JsonProperty("_relationships") Relationships relationships,
                         @JsonProperty("_knowledge") List<KnowledgeView> knowledge,
                         @JsonProperty("_freshness") Freshness freshness) {
    }

    record RelationshipsResponse(UUID thingId, String direction, String type, @JsonUnwrapped RelationshipPage page,
                                 @JsonProperty("_freshness") Freshness freshness) {
    }

    record ActivityResponse(@JsonUnwrapped ActivityPage page, @JsonProperty("_freshness") Freshness freshness) {
    }

    static <T> RestResponse<T> fresh(T body, Freshness freshness) {
        RestResponse.ResponseBuilder<T> response = RestResponse.ResponseBuilder.ok(body);
        if (freshness.position() != null) {
            response.header(POSITION_HEADER, freshness.position());
        }
        if (freshness.stale()) {
            response.header(STALE_HEADER, "true");
        }
        return response.build();
    }
}
