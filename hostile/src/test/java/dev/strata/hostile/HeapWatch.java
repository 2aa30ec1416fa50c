package dev.strata.hostile;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Samples each service's heap ({@code jvm_memory_used_bytes{area="heap"}} summed over the pools, from
 * {@code /q/metrics}) every 100 ms while a large case runs, and keeps the peak per service. A sample that does not
 * come back (a service too busy or gone) is counted, not guessed.
 */
final class HeapWatch {

    static final Duration EVERY = Duration.ofMillis(100);
    private static final Pattern USED =
            Pattern.compile("^jvm_memory_used_bytes\\{([^}]*)}\\s+(\\S+)", Pattern.MULTILINE);

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final Function<String, String> bases;
    private final Map<String, Long> peaks = new ConcurrentHashMap<>();
    private final Map<String, Integer> missed = new ConcurrentHashMap<>();
    private volatile Thread sampler;

    /** @param bases a service's base URL by name */
    HeapWatch(Function<String, String> bases) {
        this.bases = bases;
    }

    /** Starts sampling every service until {@link #stop()}. */
    void start() {
        Thread thread = new Thread(
                () -> {
                    while (sampler == Thread.currentThread()) {
                        long next = System.nanoTime() + EVERY.toNanos();
                        for (String service : Corpus.SERVICES) {
                            Long used = used(service);
                            if (used == null) {
                                missed.merge(service, 1, Integer::sum);
                            } else {
                                peaks.merge(service, used, Math::max);
                            }
                        }
                        long wait = (next - System.nanoTime()) / 1_000_000;
                        if (wait > 0) {
                            try {
                                Thread.sleep(wait); // the sampling period itself, not a wait for a condition
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    }
                },
                "hostile-heap-watch");
        thread.setDaemon(true);
        sampler = thread;
        thread.start();
    }

    void stop() {
        Thread thread = sampler;
        sampler = null;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Used heap in bytes now, or null if the service did not answer within a second. */
    Long used(String service) {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(bases.apply(service) + "/q/metrics"))
                            .header("Accept", "text/plain")
                            .timeout(Duration.ofSeconds(1))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return null;
            }
            return heapUsed(response.body());
        } catch (java.io.IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    static Long heapUsed(String prometheus) {
        Matcher m = USED.matcher(prometheus);
        double sum = 0;
        boolean any = false;
        while (m.find()) {
            if (m.group(1).contains("area=\"heap\"")) {
                sum += Double.parseDouble(m.group(2));
                any = true;
            }
        }
        return any ? (long) sum : null;
    }

    Map<String, Long> peaks() {
        return Map.copyOf(peaks);
    }

    Map<String, Integer> missed() {
        return Map.copyOf(missed);
    }
}
