package dev.strata.support.metering;

import io.quarkus.arc.DefaultBean;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** A group's allowance as quota-service reports it; a group it does not know (404) has none to enforce. */
@ApplicationScoped
@DefaultBean
public class RemoteApiCallAllowance implements ApiCallAllowance {

    private final QuotaAllowanceClient quota;

    public RemoteApiCallAllowance(@RestClient QuotaAllowanceClient quota) {
        this.quota = quota;
    }

    @Override
    public Uni<Allowance> of(UUID groupId) {
        return quota.allowance(groupId)
                .onFailure(e -> e instanceof WebApplicationException web
                        && web.getResponse().getStatus() == 404)
                .recoverWithNull();
    }
}
