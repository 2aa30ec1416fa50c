package dev.strata.console;

import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * The console's same-origin gateway: {@code /api/<service>/<path>} goes to {@code <service>}'s {@code /<path>}
 * with the caller's own headers (its bearer token), and the service's answer comes back as it is. The console
 * holds no credentials and decides nothing: every service checks the token and the tenant, exactly as for any
 * other client. Only the four services are reachable, and not their {@code /q/} operations endpoints.
 */
@ApplicationScoped
public class Gateway {

    static final String PREFIX = "/api/";

    private static final Logger LOG = Logger.getLogger(Gateway.class);

    private final Map<String, HttpProxy> proxies = new TreeMap<>();

    void routes(@Observes Router router, Vertx vertx, ConsoleConfig config) {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout(
                        (int) Math.min(Integer.MAX_VALUE, config.timeout().toMillis()))
                .setIdleTimeout((int) Math.max(1, config.timeout().toSeconds()))
                .setKeepAlive(true));
        config.services().forEach((name, base) -> proxies.put(name, proxy(client, name, base)));
        router.route(PREFIX + "*").order(-10).handler(this::forward);
    }

    void announce(@Observes StartupEvent event, ConsoleConfig config) {
        LOG.infof("Console gateway: %s", config.services());
    }

    private static HttpProxy proxy(HttpClient client, String name, URI base) {
        int port = base.getPort() > 0 ? base.getPort() : "https".equals(base.getScheme()) ? 443 : 80;
        HttpProxy proxy = HttpProxy.reverseProxy(client).origin(port, base.getHost());
        String strip = PREFIX + name;
        proxy.addInterceptor(new ProxyInterceptor() {
            @Override
            public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
                String uri = context.request().getURI();
                context.request().setURI(uri.substring(strip.length()));
                // A service away: a problem the page can show, not the proxy's bare 502.
                return context.sendRequest()
                        .recover(failure -> Future.succeededFuture(
                                Problems.unavailable(context.request().response(), name, failure)));
            }
        });
        return proxy;
    }

    private void forward(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String path = request.path();
        // Only plain paths: no dot segments or encoded characters that would reach a service as another path.
        if (!path.equals(ctx.normalizedPath()) || path.contains("%") || path.contains("//")) {
            Problems.notFound(ctx, "The console's gateway forwards plain paths only, not " + path + ".");
            return;
        }
        String rest = path.substring(PREFIX.length());
        int slash = rest.indexOf('/');
        String service = slash < 0 ? rest : rest.substring(0, slash);
        String target = slash < 0 ? "/" : rest.substring(slash);
        HttpProxy proxy = proxies.get(service);
        if (proxy == null || target.startsWith("/q/") || target.equals("/q")) {
            Problems.notFound(
                    ctx,
                    "The console's gateway reaches " + proxies.keySet() + " under /api/<service>/, not " + path + ".");
            return;
        }
        proxy.handle(request);
    }
}
