package dev.strata.support.openapi;

import dev.strata.model.problem.Problem;
import dev.strata.model.problem.ProblemType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Completes every operation of a service's OpenAPI with the problems every Strata endpoint can answer, so that a
 * resource declares only its own ({@code @APIResponse(responseCode = "404", description = "not-found: ...")}):
 * <ul>
 *   <li>one {@code Problem} schema (RFC 9457, with an example) in the components;</li>
 *   <li>401, 403, 406 and 503 on every operation; 400 where it takes parameters or a body; 413 and 415 where it
 *       takes a body; 429 on a group's operations (the monthly API-call limit); the framework's own wording of
 *       400, 401 and 403 ("Not Authorized") replaced by the problem's;</li>
 *   <li>{@code application/problem+json} content on every 4xx and 5xx response that declares none.</li>
 * </ul>
 * The descriptions start with the problem type's slug (the last part of its {@code type} URI), which is what
 * clients switch on. Registered for every service through {@code mp.openapi.filter}.
 */
public class ProblemResponses implements OASFilter {

    static final String SCHEMA = "Problem";

    /** The responses an operation gets when it declares none of that status, by status. */
    private static final Map<String, String> EVERY_OPERATION = Map.of(
            "401", "unauthorized: no bearer token, or one that is expired, unsigned or from another issuer",
            "403", "forbidden: the token does not grant this group, or lacks the role the operation needs",
            "406", "not-acceptable: the Accept header names no media type the operation answers with",
            "503",
                    "service-unavailable: a server the operation needs (database, broker, S3 or another Strata "
                            + "service) is away; retry later");

    private static final String MALFORMED = "malformed-request: a path or query parameter (or the body) is not "
            + "what the operation reads: not a UUID, out of range, unknown fields, malformed JSON";
    private static final String TOO_LARGE = "payload-too-large: the body passed the operation's limit (refused as "
            + "the bytes arrive, chunked or not)";
    private static final String API_CALLS = "quota-exceeded: the group has used this month's api_calls_per_month "
            + "(tenants' calls; the problem names the limit, Retry-After when the month turns)";
    /** A description that starts with a problem type's slug, as this filter and the resources write them. */
    private static final Pattern SLUG = Pattern.compile("[a-z]+(-[a-z]+)*: ");

    private static final String MEDIA_TYPE = "unsupported-media-type: the Content-Type is not one the operation reads";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents().addSchema(SCHEMA, problemSchema());
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            if (!path.startsWith("/q/")) {
                item.getOperations().forEach((method, operation) -> complete(path, operation));
            }
        });
    }

    private static void complete(String path, Operation operation) {
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        APIResponses responses = operation.getResponses();
        Map<String, String> add = new LinkedHashMap<>(EVERY_OPERATION);
        boolean body = operation.getRequestBody() != null;
        boolean parameters =
                operation.getParameters() != null && !operation.getParameters().isEmpty();
        if (body || parameters) {
            add.put("400", MALFORMED);
        }
        if (body) {
            add.put("413", TOO_LARGE);
            add.put("415", MEDIA_TYPE);
        }
        if (path.startsWith("/groups/{")) {
            add.put("429", API_CALLS);
        }
        add.forEach((status, description) -> {
            APIResponse declared = responses.getAPIResponse(status);
            if (declared == null) {
                responses.addAPIResponse(status, OASFactory.createAPIResponse().description(description));
            } else if (declared.getDescription() == null
                    || !SLUG.matcher(declared.getDescription()).lookingAt()) {
                // The framework's own words ("Not Authorized", "Bad Request") name no problem type: ours do.
                declared.setDescription(description);
            }
        });
        responses.getAPIResponses().forEach((status, response) -> {
            if (isError(status)
                    && (response.getContent() == null
                            || response.getContent().getMediaTypes() == null
                            || response.getContent().getMediaTypes().isEmpty())) {
                response.setContent(problemContent());
            }
        });
    }

    private static boolean isError(String status) {
        return status.length() == 3 && (status.charAt(0) == '4' || status.charAt(0) == '5');
    }

    private static Content problemContent() {
        return OASFactory.createContent()
                .addMediaType(
                        Problem.MEDIA_TYPE,
                        OASFactory.createMediaType()
                                .schema(OASFactory.createSchema().ref(SCHEMA)));
    }

    private static Schema problemSchema() {
        Schema fieldError = OASFactory.createSchema()
                .addType(Schema.SchemaType.OBJECT)
                .description("One failure of one item or field")
                .addProperty(
                        "index",
                        OASFactory.createSchema()
                                .addType(Schema.SchemaType.INTEGER)
                                .description("the item's position in the batch, when the body is a batch"))
                .addProperty("field", OASFactory.createSchema().addType(Schema.SchemaType.STRING))
                .addProperty("error", OASFactory.createSchema().addType(Schema.SchemaType.STRING));
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("index", 3);
        error.put("field", "items[3].name");
        error.put("error", "must not be blank");
        Map<String, Object> example = new LinkedHashMap<>();
        example.put("type", ProblemType.VALIDATION_FAILED.uri());
        example.put("title", ProblemType.VALIDATION_FAILED.title());
        example.put("status", ProblemType.VALIDATION_FAILED.status());
        example.put("detail", "1 of 250 items is invalid; nothing was written");
        example.put("errors", List.of(error));
        return OASFactory.createSchema()
                .addType(Schema.SchemaType.OBJECT)
                .description("An RFC 9457 problem detail: every Strata error answers with one "
                        + "(application/problem+json). Switch on `type`; extension members (such as `metric` and "
                        + "`limit` of a quota-exceeded problem) sit at the top level.")
                .addProperty(
                        "type",
                        OASFactory.createSchema()
                                .addType(Schema.SchemaType.STRING)
                                .format("uri")
                                .description(
                                        "https://strata.dev/problems/<slug>: malformed-request, validation-failed, "
                                                + "unauthorized, forbidden, not-found, method-not-allowed, not-acceptable, conflict, "
                                                + "quota-exceeded, payload-too-large, unsupported-media-type, service-unavailable, "
                                                + "internal-error"))
                .addProperty("title", OASFactory.createSchema().addType(Schema.SchemaType.STRING))
                .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER))
                .addProperty("detail", OASFactory.createSchema().addType(Schema.SchemaType.STRING))
                .addProperty("instance", OASFactory.createSchema().addType(Schema.SchemaType.STRING))
                .addProperty(
                        "errors",
                        OASFactory.createSchema()
                                .addType(Schema.SchemaType.ARRAY)
                                .items(fieldError))
                .additionalPropertiesBoolean(true)
                .required(List.of("type", "title", "status"))
                .example(example);
    }
}
