package dev.strata.support.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.ext.ClientHeadersFactory;

/**
 * The bearer token a service presents when it calls another Strata service (role {@code service}). In
 * production it comes from the identity provider through a secret ({@code STRATA_SERVICE_TOKEN}); the local run
 * and the tests mint one with their development key. REST clients register this class as their headers factory.
 */
@ApplicationScoped
public class ServiceToken implements ClientHeadersFactory {

    private final Optional<String> token;

    public ServiceToken(@ConfigProperty(name = "strata.service-token") Optional<String> token) {
        this.token = token;
    }

    @Override
    public MultivaluedMap<String, String> update(
            MultivaluedMap<String, String> incoming, MultivaluedMap<String, String> outgoing) {
        MultivaluedMap<String, String> headers = new MultivaluedHashMap<>();
        token.filter(value -> !value.isBlank())
                .ifPresent(value -> headers.putSingle("Authorization", "Bearer " + value));
        return headers;
    }
}
