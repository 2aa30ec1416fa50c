package dev.strata.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.cli.CliException;
import dev.strata.cli.ExitCodes;
import dev.strata.cli.output.ProblemFormat;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * The CLI's one HTTP client (the JDK's): a bearer token on every request, JSON in, the answer's body kept as sent
 * (for {@code --json}) and parsed. Any answer but 2xx becomes a {@link CliException} with the problem's lines; a
 * service that cannot be reached becomes one that names the option to fix.
 */
public final class StrataClient {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    static final Duration SENT_INTERVAL = Duration.ofMillis(250);
    static final String ACCEPT = "application/json, application/problem+json";

    /** A 2xx answer: its status, its body as sent and that body parsed. */
    public record Answer(int status, String body, JsonNode json) {}

    private final HttpClient http;
    private final Supplier<String> token;
    private final ObjectMapper mapper;
    private String resolvedToken;

    /** {@code token} is asked once, at the first request: {@code --help} needs none. */
    public StrataClient(Supplier<String> token, ObjectMapper mapper) {
        // HTTP/1.1: no h2c upgrade dance in front of a streamed upload.
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.token = token;
        this.mapper = mapper;
    }

    public Answer get(Service service, String path) {
        return send(service, request(service, path).timeout(REQUEST_TIMEOUT).GET());
    }

    public Answer post(Service service, String path, Object body) {
        HttpRequest.BodyPublisher publisher;
        try {
            publisher = body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(body), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
        HttpRequest.Builder request =
                request(service, path).timeout(REQUEST_TIMEOUT).POST(publisher);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return send(service, request);
    }

    /**
     * Streams {@code file} as the body (the JDK reads it in small buffers, with its length as Content-Length), so a
     * file of gigabytes takes no more memory than one of kilobytes. {@code sent} hears, on the calling thread and a
     * few times a second, how many bytes have gone out.
     */
    public Answer upload(Service service, String path, Path file, String contentType, LongConsumer sent) {
        AtomicLong counted = new AtomicLong();
        HttpRequest.BodyPublisher publisher;
        try {
            publisher = new CountingPublisher(HttpRequest.BodyPublishers.ofFile(file), counted);
        } catch (FileNotFoundException e) {
            throw new CliException(ExitCodes.USAGE, "Cannot read " + file + ": " + e.getMessage());
        }
        // No request timeout: sending a big file takes as long as it takes; the connect timeout still holds.
        HttpRequest request = request(service, path)
                .header("Content-Type", contentType)
                .POST(publisher)
                .build();
        CompletableFuture<HttpResponse<String>> answer =
                http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return answer(service, request, () -> {
            while (true) {
                sent.accept(counted.get());
                try {
                    return answer.get(SENT_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException stillSending) {
                    // report the bytes again
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    throw new IOException(e.getCause());
                } catch (InterruptedException e) {
                    answer.cancel(true);
                    throw e;
                }
            }
        });
    }

    private HttpRequest.Builder request(Service service, String path) {
        if (resolvedToken == null) {
            resolvedToken = token.get();
        }
        return HttpRequest.newBuilder(service.resolve(path))
                .header("Authorization", "Bearer " + resolvedToken)
                .header("Accept", ACCEPT);
    }

    private Answer send(Service service, HttpRequest.Builder builder) {
        HttpRequest request = builder.build();
        return answer(
                service, request, () -> http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
    }

    private interface Exchange {
        HttpResponse<String> run() throws IOException, InterruptedException;
    }

    private Answer answer(Service service, HttpRequest request, Exchange exchange) {
        HttpResponse<String> response;
        try {
            response = exchange.run();
        } catch (HttpConnectTimeoutException e) {
            throw unreachable(service, request.uri(), "no connection within " + CONNECT_TIMEOUT.toSeconds() + " s");
        } catch (ConnectException e) {
            // The JDK's client says nothing more for a refused connection than a closed channel.
            throw unreachable(service, request.uri(), e.getMessage() != null ? e.getMessage() : "connection refused");
        } catch (HttpTimeoutException e) {
            throw unreachable(service, request.uri(), "no answer within " + REQUEST_TIMEOUT.toSeconds() + " s");
        } catch (IOException e) {
            throw unreachable(service, request.uri(), describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.UNREACHABLE, "Interrupted while waiting for " + service.name() + ".");
        }
        String body = response.body();
        if (response.statusCode() / 100 != 2) {
            throw new CliException(ExitCodes.SERVICE_ERROR, ProblemFormat.lines(response.statusCode(), body));
        }
        JsonNode json;
        try {
            json = body == null || body.isBlank() ? mapper.nullNode() : mapper.readTree(body);
        } catch (IOException e) {
            throw unreachable(
                    service,
                    request.uri(),
                    "the answer (" + response.statusCode() + ") is not JSON; is this really " + service.name() + "?");
        }
        return new Answer(response.statusCode(), body, json);
    }

    private static CliException unreachable(Service service, URI uri, String why) {
        return new CliException(
                ExitCodes.UNREACHABLE,
                List.of(
                        "Cannot reach " + service.name() + " at " + uri + ": " + why + ".",
                        "Is it running? Its address comes from " + service.option() + " or " + service.variable()
                                + " (now " + service.base() + ")."));
    }

    private static String describe(Throwable e) {
        Throwable cause = e;
        while (cause.getMessage() == null && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() != null
                ? cause.getMessage()
                : cause.getClass().getSimpleName();
    }

    /** The file's publisher, telling {@code sent} how many bytes have gone out so far. */
    private record CountingPublisher(HttpRequest.BodyPublisher delegate, AtomicLong sent)
            implements HttpRequest.BodyPublisher {

        @Override
        public long contentLength() {
            return delegate.contentLength();
        }

        @Override
        public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
            delegate.subscribe(new Flow.Subscriber<ByteBuffer>() {
                @Override
                public void onSubscribe(Flow.Subscription subscription) {
                    subscriber.onSubscribe(subscription);
                }

                @Override
                public void onNext(ByteBuffer item) {
                    sent.addAndGet(item.remaining());
                    subscriber.onNext(item);
                }

                @Override
                public void onError(Throwable throwable) {
                    subscriber.onError(throwable);
                }

                @Override
                public void onComplete() {
                    subscriber.onComplete();
                }
            });
        }
    }
}
