package dev.strata.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.model.ids.UuidV7;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A sustained write load on one group, as a well-behaved client writes: rounds of a things batch (users and videos),
 * a connections batch (each user authored its video) and an events batch (revenue of the round's users, with ids of
 * our own), each with an {@code Idempotency-Key} and retried with the same key while the answer is unavailable
 * (connection refused or cut, 5xx), so that a write the service committed before it died is answered, not written
 * twice. What ingest accepted (answered 2xx) goes into the ledger the invariants are checked against: thing names,
 * connection count and event ids in the order they were accepted.
 */
final class FaultLoad implements AutoCloseable {

    /** How long one batch is retried before the suite gives up on the stack: bounded, like every loop here. */
    static final Duration RETRY_BUDGET = Duration.ofMinutes(4);

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private final Stack stack;
    private final UUID group;
    private final String label;
    private final int peoplePerRound;
    private final int eventsPerRound;
    private final long periodNanos;
    private final Duration eventAge;
    private final Thread writer;
    private volatile boolean running = true;
    private int maxRounds = Integer.MAX_VALUE;
    private volatile RuntimeException failure;

    final Set<String> thingNames = Collections.synchronizedSet(new LinkedHashSet<>());
    final List<UUID> eventIds = Collections.synchronizedList(new ArrayList<>());
    final AtomicLong connections = new AtomicLong();
    final AtomicLong batchesAccepted = new AtomicLong();
    final AtomicLong unavailableAnswers = new AtomicLong();

    /**
     * @param eventsPerSecond the client events the load aims at (each round also writes {@code peoplePerRound * 2}
     *                        things and {@code peoplePerRound} connections); the writer never runs ahead of it
     * @param eventAge        how old the events' own times are (zero: now; archival scenarios write old events)
     */
    FaultLoad(Stack stack, UUID group, String label, int peoplePerRound, int eventsPerSecond, Duration eventAge) {
        this.stack = stack;
        this.group = group;
        this.label = label;
        this.peoplePerRound = peoplePerRound;
        this.eventsPerRound = Math.max(1, eventsPerSecond / 4);
        this.periodNanos = 250_000_000L;
        this.eventAge = eventAge;
        this.writer = new Thread(this::write, "fault-load-" + label);
    }

    /** The ledger of two loads on one group, one after the other (e.g. a backlog of old events, then today's). */
    static FaultLoad merged(FaultLoad first, FaultLoad second) {
        FaultLoad both = new FaultLoad(
                first.stack, first.group, first.label + "+" + second.label, first.peoplePerRound, 4, Duration.ZERO);
        both.running = false;
        both.thingNames.addAll(first.thingNames);
        both.thingNames.addAll(second.thingNames);
        both.eventIds.addAll(first.eventIds);
        both.eventIds.addAll(second.eventIds);
        both.connections.set(first.connections.get() + second.connections.get());
        return both;
    }

    /** Client events per second the load aims at (besides its things and connections). */
    long targetEventsPerSecond() {
        return eventsPerRound * 1_000_000_000L / periodNanos;
    }

    /** At most this many rounds (a group whose plan allows only so many users), then the writer idles. */
    FaultLoad limitRounds(int rounds) {
        this.maxRounds = rounds;
        return this;
    }

    FaultLoad start() {
        writer.start();
        return this;
    }

    /** Stops after the round in flight is accepted (it is retried through any outage); rethrows the writer's failure. */
    void stop() throws InterruptedException {
        running = false;
        writer.join(RETRY_BUDGET.toMillis() * 3);
        if (writer.isAlive()) {
            throw new IllegalStateException("the load on " + label + " did not stop");
        }
        FaultSuite.say(String.format(
                java.util.Locale.ROOT,
                "load %s: %,d batches accepted, %,d unavailable answers" + " retried",
                label,
                batchesAccepted.get(),
                unavailableAnswers.get()));
        if (failure != null) {
            throw failure;
        }
    }

    /** Waits (at most two minutes) until the load has had {@code batches} more batches accepted: it is flowing. */
    FaultLoad awaitFlowing(int batches) {
        long target = batchesAccepted.get() + batches;
        FaultSuite.awaitTrue(
                "the load on " + label + " flowing",
                Duration.ofMinutes(2),
                () -> batchesAccepted.get() >= target || failure != null);
        return this;
    }

    long writesAccepted() {
        return thingNames.size() + connections.get() + eventIds.size();
    }

    private void write() {
        long next = System.nanoTime();
        try {
            for (int round = 0; running && round < maxRounds; round++) {
                round(round);
                next += periodNanos;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } else {
                    next = System.nanoTime();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | IOException e) {
            failure = e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    private void round(int round) throws IOException, InterruptedException {
        StringBuilder things = new StringBuilder("{\"items\":[");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < peoplePerRound; i++) {
            String user = label + " u" + round + "-" + i;
            String video = label + " v" + round + "-" + i;
            names.add(user);
            names.add(video);
            things.append(i == 0 ? "" : ",")
                    .append("{\"type\":\"user\",\"name\":\"")
                    .append(user)
                    .append("\"},{\"type\":\"video\",\"name\":\"")
                    .append(video)
                    .append("\",\"properties\":{\"round\":")
                    .append(round)
                    .append("}}");
        }
        JsonNode created = post("/things:batch", things.append("]}").toString());
        List<String> ids = new ArrayList<>();
        for (JsonNode id : created.path("created")) {
            if (id.isNull()) {
                throw new IllegalStateException("an item of the load's batch failed: " + created);
            }
            ids.add(id.asText());
        }
        thingNames.addAll(names);

        StringBuilder links = new StringBuilder("{\"items\":[");
        for (int i = 0; i < peoplePerRound; i++) {
            links.append(i == 0 ? "" : ",")
                    .append("{\"fromThingId\":\"")
                    .append(ids.get(2 * i))
                    .append("\",\"toThingId\":\"")
                    .append(ids.get(2 * i + 1))
                    .append("\",\"relationshipType\":\"authored\"}");
        }
        JsonNode linked = post("/connections:batch", links.append("]}").toString());
        if (linked.path("failed").asLong() != 0) {
            throw new IllegalStateException("a connection of the load's batch failed: " + linked);
        }
        connections.addAndGet(peoplePerRound);

        StringBuilder events = new StringBuilder("{\"items\":[");
        List<UUID> eventIdsOfRound = new ArrayList<>();
        Instant time = Instant.now().minus(eventAge).truncatedTo(ChronoUnit.MILLIS);
        for (int i = 0; i < eventsPerRound; i++) {
            UUID id = UuidV7.next();
            eventIdsOfRound.add(id);
            events.append(i == 0 ? "" : ",")
                    .append("{\"id\":\"")
                    .append(id)
                    .append("\",\"type\":\"revenue_generated\",\"actorId\":\"")
                    .append(ids.get(2 * (i % peoplePerRound)))
                    .append("\",\"timestamp\":\"")
                    .append(time.minusMillis(i))
                    .append("\",\"metadata\":{\"amount\":1.25,\"currency\":\"EUR\"}}");
        }
        JsonNode logged = post("/events:batch", events.append("]}").toString());
        if (logged.path("failed").asLong() != 0) {
            throw new IllegalStateException("an event of the load's batch failed: " + logged);
        }
        eventIds.addAll(eventIdsOfRound);
    }

    /** POSTs one batch until it is answered 200, with one idempotency key for all attempts. */
    private JsonNode post(String path, String body) throws IOException, InterruptedException {
        String key = UUID.randomUUID().toString();
        HttpResponse<String> answer = retrying(
                () -> HttpRequest.newBuilder(URI.create(stack.ingest + "/groups/" + group + path))
                        .header("Content-Type", "application/json")
                        .header("Idempotency-Key", key)
                        .POST(HttpRequest.BodyPublishers.ofString(body)),
                200,
                unavailableAnswers);
        batchesAccepted.incrementAndGet();
        return Stack.JSON.readTree(answer.body());
    }

    interface RequestFactory {
        HttpRequest.Builder request();
    }

    /**
     * Sends until the answer is {@code expected}; a connection refused or cut, a timeout or a 5xx is an unavailable
     * service (counted) and is retried after 250 ms for at most {@link #RETRY_BUDGET}; any other answer fails.
     */
    static HttpResponse<String> retrying(Stack stack, RequestFactory factory, int expected, AtomicLong unavailable)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + RETRY_BUDGET.toNanos();
        while (true) {
            String why;
            try {
                HttpRequest request = factory.request()
                        .header("Authorization", "Bearer " + stack.token)
                        .timeout(Duration.ofSeconds(60))
                        .build();
                HttpResponse<String> response =
                        HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                if (response.statusCode() == expected) {
                    return response;
                }
                if (response.statusCode() < 500) {
                    throw new IllegalStateException(request.method() + " " + request.uri() + " answered "
                            + response.statusCode() + ": " + abbreviate(response.body()));
                }
                why = response.statusCode() + " " + abbreviate(response.body());
            } catch (IOException e) {
                why = e.getClass().getSimpleName() + " " + e.getMessage();
            }
            unavailable.incrementAndGet();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("still unavailable after " + RETRY_BUDGET + ": " + why);
            }
            Thread.sleep(250);
        }
    }

    private HttpResponse<String> retrying(RequestFactory factory, int expected, AtomicLong unavailable)
            throws IOException, InterruptedException {
        return retrying(stack, factory, expected, unavailable);
    }

    static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    /** An NDJSON import body of {@code items} videos named {@code <label> i<n>}. */
    static Path importFile(Path dir, String label, int items) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(label.replace(' ', '-') + ".ndjson");
        StringBuilder lines = new StringBuilder(items * 48);
        for (int i = 0; i < items; i++) {
            lines.append("{\"type\":\"video\",\"name\":\"")
                    .append(label)
                    .append(" i")
                    .append(i)
                    .append("\"}\n");
        }
        Files.writeString(file, lines);
        return file;
    }

    @Override
    public void close() throws InterruptedException {
        if (writer.isAlive()) {
            stop();
        }
    }
}
