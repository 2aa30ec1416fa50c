package dev.strata.support.http;

import java.util.List;

/**
 * A service's own body limits, for endpoints that take more than the platform default
 * ({@code strata.http.max-body-bytes}): a CDI bean implementing it is picked up by {@link BodyLimits}. Such
 * limits usually come from the service's own configuration, e.g. ingest's batch and import caps.
 */
public interface BodyLimitSource {

    List<BodyLimit> bodyLimits();
}
