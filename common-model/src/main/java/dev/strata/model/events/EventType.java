package dev.strata.model.events;

/**
 * The event types the platform's own code emits or reads.
 *
 * <p>Event types are data: the full list lives in the ontology registry and a deployment may add more. These
 * constants exist only so code that produces or reacts to a specific type does not repeat string literals.
 */
public final class EventType {

    public static final String THING_CREATED = "thing_created";
    public static final String THING_UPDATED = "thing_updated";
    public static final String THING_DELETED = "thing_deleted";
    public static final String CONNECTION_CREATED = "connection_created";
    public static final String BATCH_IMPORT = "batch_import";
    /** Metadata carries {@code amount} and {@code currency}. */
    public static final String REVENUE_GENERATED = "revenue_generated";
    /** Metadata carries {@code action}: viewed, liked, shared, ... */
    public static final String CONTENT_EVENT = "content_event";

    public static final String USER_LOGIN = "user_login";
    public static final String PAYMENT_EVENT = "payment_event";
    public static final String API_CALL = "api_call";
    public static final String QUOTA_THRESHOLD_CROSSED = "quota_threshold_crossed";
    public static final String EVENTS_ARCHIVED = "events_archived";
    public static final String GROUP_CREATED = "group_created";
    public static final String GROUP_PLAN_CHANGED = "group_plan_changed";
    public static final String KNOWLEDGE_CREATED = "knowledge_created";

    private EventType() {}
}
