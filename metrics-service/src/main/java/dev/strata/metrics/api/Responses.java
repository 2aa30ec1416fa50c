package dev.strata.metrics.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.strata.metrics.service.CreatorStats;
import dev.strata.metrics.service.EventTimeline;
import dev.strata.metrics.service.Freshness;
import dev.strata.metrics.service.GraphViews.ActivityPage;
import dev.strata.metrics.service.GraphViews.KnowledgeView;
import dev.strata.metrics.service.GraphViews.RelationshipPage;
import dev.strata.metrics.service.GraphViews.Relationships;
import dev.strata.metrics.service.GroupMetrics;
import dev.strata.metrics.service.ThingView;
import dev.strata.metrics.service.TopCreators;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.resteasy.reactive.RestResponse;

/** Response bodies: the answer plus {@code _freshness}, and the freshness headers. */
final class Responses {

    /** Set (to {@code true}) when the read waited for {@code ?position=} and gave up: the answer is stale. */
    static final String STALE_HEADER = "Strata-Stale";

    /** The id of the last event applied for the group, as in {@code _freshness.position}. */
    static final String POSITION_HEADER = "Strata-Position";

    private Responses() {}

    @Schema(description = "A creator (any people-like thing) with its _computed statistics", example = """
            {"id": "01970f3a-5c2e-7b41-9d8e-2a6f4c1b3e57", "groupId": "0b6a3c1e-2f4d-4e5a-9b8c-7d6e5f4a3b2c",
             "type": "creator", "name": "Ada L.", "properties": {"handle": "ada", "bio": "Writes about maths"},
             "status": "active", "createdAt": "2025-05-13T12:00:00Z", "updatedAt": "2026-06-14T12:00:00Z",
             "_computed": {"totalRevenue": 181.30, "revenueCurrency": "USD",
                           "revenueByCurrency": {"EUR": 10.00, "GBP": 3.00, "USD": 170.50},
                           "unconvertedCurrencies": ["GBP"], "totalFollowers": 5, "lastActive": "2026-06-17T11:00:00Z",
                           "contentCount": 3, "averageEngagement": 1.67, "totalEvents": 7,
                           "eventsByType": {"revenue_generated": 6, "user_login": 1}, "isActive": true,
                           "accountAge": 400, "revenuePerContent": 60.43, "lastComputed": "2026-06-17T12:00:00Z",
                           "computationTime": 2},
             "_freshness": {"position": "01977a1c-3f60-7e2a-8b4d-6c1e9f2a7b30",
                            "appliedAt": "2026-06-17T11:59:58.412Z", "lagMs": 38, "stale": false}}""")
    record CreatorStatsResponse(
            @JsonUnwrapped ThingView thing,
            @JsonProperty("_computed") CreatorStats computed,
            @JsonProperty("_freshness") Freshness freshness) {}

    @Schema(
            description = "A group's _computed metrics; a group the stream never mentioned answers zeros",
            example = """
            {"groupId": "0b6a3c1e-2f4d-4e5a-9b8c-7d6e5f4a3b2c",
             "_computed": {"userCount": 7, "activeUsers": 4, "totalEntities": 12, "storageUsed": 1048890,
                           "storageUsedMB": 1.00, "apiCallsThisMonth": 10, "revenueThisMonth": 59.99,
                           "revenueCurrency": "USD", "revenueThisMonthByCurrency": {"EUR": 10.00, "USD": 49.19},
                           "revenueByCurrency": {"EUR": 10.00, "GBP": 3.00, "USD": 169.94},
                           "unconvertedCurrencies": ["GBP"],
                           "eventsThisMonth": 21, "eventsThisWeek": 14,
                           "topContentByEngagement": [{"entityId": "01970f3a-6a10-7c22-8e31-4b5c6d7e8f90",
                                                       "name": "Maths 101", "type": "course", "connectionCount": 6,
                                                       "createdAt": "2026-03-09T12:00:00Z"}],
                           "averageEngagementPerContent": 3.40, "avgEventsPerUser": 4.14, "avgRevenuePerUser": 25.82,
                           "isActive": true, "trendingUp": true, "lastComputed": "2026-06-17T12:00:00Z"},
             "_freshness": {"position": "01977a1c-3f60-7e2a-8b4d-6c1e9f2a7b30",
                            "appliedAt": "2026-06-17T11:59:58.412Z", "lagMs": 38, "stale": false}}""")
    record GroupMetricsResponse(
            UUID groupId,
            @JsonProperty("_computed") GroupMetrics computed,
            @JsonProperty("_freshness") Freshness freshness) {}

    @Schema(description = "A thing; _relationships and _knowledge only when asked for", example = """
            {"id": "01970f3a-5c2e-7b41-9d8e-2a6f4c1b3e57", "groupId": "0b6a3c1e-2f4d-4e5a-9b8c-7d6e5f4a3b2c",
             "type": "creator", "name": "Ada L.", "properties": {"handle": "ada"}, "status": "active",
             "createdAt": "2025-05-13T12:00:00Z", "updatedAt": "2026-06-14T12:00:00Z",
             "_relationships": {
               "inbound": [{"id": "01970f3b-0d4e-7a55-9c21-8e7f6a5b4c3d",
                            "groupId": "0b6a3c1e-2f4d-4e5a-9b8c-7d6e5f4a3b2c",
                            "fromThingId": "01970f3a-5d11-7e02-8a9b-1c2d3e4f5a6b", "fromType": "user",
                            "toThingId": "01970f3a-5c2e-7b41-9d8e-2a6f4c1b3e57", "toType": "creator",
                            "relationshipType": "following", "metadata": {}, "strength": null, "validFrom": null,
                            "validTo": null, "createdAt": "2026-03-09T13:00:00Z", "direction": "inbound",
                            "related": {"id": "01970f3a-5d11-7e02-8a9b-1c2d3e4f5a6b",
                                        "groupId": "0b6a3c1e-2f4d-4e5a-9b8c-7d6e5f4a3b2c", "type": "user",
                                        "name": "Ben", "properties": {}, "status": "active",
                                        "createdAt": "2025-05-13T12:00:00Z", "updatedAt": "2025-05-13T12:00:00Z"}}],
               "outbound": [], "inboundCount": 1, "outboundCount": 0, "totalConnections": 1,
               "connectionTypes": {"inbound": {"following": 1}, "outbound": {}}},
             "_knowledge": [{"id": "01970f3c-2b3a-7c4d-9e5f-6a7b8c9d0e1f",
                             "sourceThingId": "01970f3a-5c2e-7b41-9d8e-2a6f4c1b3e57", "kind": "label",
                             "text": "Ada", "textBytes": 3, "embeddingDimensions": 4,
                             "createdAt": "2026-03-09T14:00:00Z"}],
             "_freshness": {"position": "01977a1c-3f60-7e2a-8b4d-6c1e9f2a7b30",
                            "appliedAt": "2026-06-17T11:59:58.412Z", "lagMs": 38, "stale": false}}""")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ThingResponse(
            @JsonUnwrapped ThingView thing,
            @JsonProperty("_relationships") Relationships relationships,
            @JsonProperty("_knowledge") List<KnowledgeView> knowledge,
            @JsonProperty("_freshness") Freshness freshness) {}

    @Schema(
            description = "A page of a thing's relationships, newest first; pass nextCursor back as cursor",
            example = """
            {"thingId": "01970f3a-5c2e-7b41-9d8e-2a6f4c1b3e57", "direction": "inbound", "type": "following",
             "total": 5, "count": 1, "limit": 1, "hasMore": true,
             "nextCursor": "MjAyNi0wMy0wOVQxMzowMDowMFp8MDE5NzBmM2ItMGQ0ZS03YTU1LTljMjEtOGU3ZjZhNWI0YzNkfGluYm91bmQ",
             "relationships": [{"id": "01970f3b-0d4e-7a55-9c21-8e7f6a5b4c3d",
                                "groupId": "0b6a3c1e-2f4d-4e5a-9b8c-7d6e5f4a3b2c",
                                "fromThingId": "01970f3a-5d11-7e02-8a9b-1c2d3e4f5a6b", "fromType": "user",
                                "toThingId": "01970f3a-5c2e-7b41-9d8e-2a6f4c1b3e57", "toType": "creator",
                                "relationshipType": "following", "metadata": {}, "strength": 0.5, "validFrom": null,
                                "validTo": null, "createdAt": "2026-03-09T13:00:00Z", "direction": "inbound",
                                "related": {"id": "01970f3a-5d11-7e02-8a9b-1c2d3e4f5a6b",
                                            "groupId": "0b6a3c1e-2f4d-4e5a-9b8c-7d6e5f4a3b2c", "type": "user",
                                            "name": "Ben", "properties": {}, "status": "active",
                                            "createdAt": "2025-05-13T12:00:00Z",
                                            "updatedAt": "2025-05-13T12:00:00Z"}}],
             "_freshness": {"position": "01977a1c-3f60-7e2a-8b4d-6c1e9f2a7b30",
                            "appliedAt": "2026-06-17T11:59:58.412Z", "lagMs": 38, "stale": false}}""")
    record RelationshipsResponse(
            UUID thingId,

            @Schema(enumeration = {"inbound", "outbound", "both"})
            String direction,

            @Schema(description = "the relationship type asked for; null for all")
            String type,

            @JsonUnwrapped RelationshipPage page,
            @JsonProperty("_freshness") Freshness freshness) {}

    @Schema(
            description = "A thing's recent activity (as actor or target), newest first; totalEvents counts all time",
            example = """
            {"thingId": "01970f3a-5c2e-7b41-9d8e-2a6f4c1b3e57", "totalEvents": 9,
             "activity": [{"id": "01977a1c-3f60-7e2a-8b4d-6c1e9f2a7b30", "type": "revenue_generated",
                           "actorId": "01970f3a-5c2e-7b41-9d8e-2a6f4c1b3e57",
                           "targetId": "01970f3a-6a10-7c22-8e31-4b5c6d7e8f90", "timestamp": "2026-06-17T11:00:00Z",
                           "metadata": {"amount": 4.75, "currency": "USD"}, "recordedAt": "2026-06-17T11:00:01Z",
                           "_actor": {"id": "01970f3a-5c2e-7b41-9d8e-2a6f4c1b3e57",
                                      "groupId": "0b6a3c1e-2f4d-4e5a-9b8c-7d6e5f4a3b2c", "type": "creator",
                                      "name": "Ada L.", "properties": {"handle": "ada"}, "status": "active",
                                      "createdAt": "2025-05-13T12:00:00Z", "updatedAt": "2026-06-14T12:00:00Z"},
                           "_target": {"id": "01970f3a-6a10-7c22-8e31-4b5c6d7e8f90",
                                       "groupId": "0b6a3c1e-2f4d-4e5a-9b8c-7d6e5f4a3b2c", "type": "course",
                                       "name": "Maths 101", "properties": {"lessons": 8}, "status": "active",
                                       "createdAt": "2026-03-09T12:00:00Z", "updatedAt": "2026-03-09T12:00:00Z"}}],
             "_freshness": {"position": "01977a1c-3f60-7e2a-8b4d-6c1e9f2a7b30",
                            "appliedAt": "2026-06-17T11:59:58.412Z", "lagMs": 38, "stale": false}}""")
    record ActivityResponse(
            @JsonUnwrapped ActivityPage page,
            @JsonProperty("_freshness") Freshness freshness) {}

    @Schema(
            description = "A group's activity events per UTC day and event type over the last days (the day each "
                    + "event happened); days without events are listed with zeros",
            example = """
            {"groupId": "0b6a3c1e-2f4d-4e5a-9b8c-7d6e5f4a3b2c", "from": "2026-06-15", "to": "2026-06-17",
             "types": ["content_event", "revenue_generated", "user_login"],
             "days": [{"date": "2026-06-15", "total": 4,
                       "byType": {"content_event": 3, "revenue_generated": 1, "user_login": 0}},
                      {"date": "2026-06-16", "total": 0,
                       "byType": {"content_event": 0, "revenue_generated": 0, "user_login": 0}},
                      {"date": "2026-06-17", "total": 6,
                       "byType": {"content_event": 2, "revenue_generated": 1, "user_login": 3}}],
             "_freshness": {"position": "01977a1c-3f60-7e2a-8b4d-6c1e9f2a7b30",
                            "appliedAt": "2026-06-17T11:59:58.412Z", "lagMs": 38, "stale": false}}""")
    record EventTimelineResponse(
            @JsonUnwrapped EventTimeline timeline,
            @JsonProperty("_freshness") Freshness freshness) {}

    @Schema(
            description = "A group's creators (people-like things) with their stats, by totalFollowers desc, then "
                    + "totalEvents desc, then creatorId",
            example = """
            {"groupId": "0b6a3c1e-2f4d-4e5a-9b8c-7d6e5f4a3b2c",
             "creators": [{"creatorId": "01970f3a-5c2e-7b41-9d8e-2a6f4c1b3e57", "name": "Ada L.", "type": "creator",
                           "totalFollowers": 5, "contentCount": 3, "totalEvents": 7,
                           "lastActive": "2026-06-17T11:00:00Z"},
                          {"creatorId": "01970f3a-7b20-7d33-9f42-5c6d7e8f9a01", "name": "Grace", "type": "creator",
                           "totalFollowers": 1, "contentCount": 1, "totalEvents": 2,
                           "lastActive": "2026-06-14T12:00:00Z"},
                          {"creatorId": "01970f3a-5d11-7e02-8a9b-1c2d3e4f5a6b", "name": "Ben", "type": "user",
                           "totalFollowers": 0, "contentCount": 0, "totalEvents": 0, "lastActive": null}],
             "_freshness": {"position": "01977a1c-3f60-7e2a-8b4d-6c1e9f2a7b30",
                            "appliedAt": "2026-06-17T11:59:58.412Z", "lagMs": 38, "stale": false}}""")
    record TopCreatorsResponse(
            @JsonUnwrapped TopCreators top,
            @JsonProperty("_freshness") Freshness freshness) {}

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
