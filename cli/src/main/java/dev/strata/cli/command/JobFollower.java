package dev.strata.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.cli.CliException;
import dev.strata.cli.ExitCodes;
import dev.strata.cli.client.StrataClient.Answer;
import dev.strata.cli.output.ProgressBar;
import dev.strata.cli.output.ProgressDisplay;
import dev.strata.cli.output.ProgressMeter;
import dev.strata.cli.output.ProgressMeter.Reading;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Polls a server-side job (an import, an archive run) until it ends, drawing its progress. A service that stops
 * answering for a moment (a restart) does not end the wait: the job goes on without the CLI, so giving up early
 * would only hide how it ended.
 */
final class JobFollower {

    static final Duration POLL_INTERVAL = Duration.ofMillis(500);
    /** Consecutive unanswered polls before giving up: about half a minute with the connect timeout. */
    static final int MAX_MISSED_POLLS = 5;

    /** How to read one kind of job's answer. */
    interface JobShape {
        String label(JsonNode job);

        boolean ended(JsonNode job);

        double percent(JsonNode job);

        long count(JsonNode job);
    }

    private final ProgressDisplay display;
    private final JobShape shape;

    JobFollower(ProgressDisplay display, JobShape shape) {
        this.display = display;
        this.shape = shape;
    }

    /** The job's last answer, once it says the job ended; {@code whereToLook} tells where to see it later. */
    Answer follow(Supplier<Answer> poll, String whereToLook) {
        ProgressMeter meter = new ProgressMeter();
        int missed = 0;
        while (true) {
            Answer answer;
            try {
                answer = poll.get();
                missed = 0;
            } catch (CliException e) {
                if (e.exitCode() != ExitCodes.UNREACHABLE || ++missed >= MAX_MISSED_POLLS) {
                    display.abandon();
                    List<String> lines = new ArrayList<>(e.lines());
                    lines.add("The job goes on without this CLI: " + whereToLook + ".");
                    throw new CliException(e.exitCode(), lines);
                }
                pause();
                continue;
            }
            JsonNode job = answer.json();
            Reading reading = meter.read(System.nanoTime(), shape.percent(job), shape.count(job));
            boolean ended = shape.ended(job);
            if (ended) {
                reading = new Reading(
                        reading.percent(), reading.count(), reading.perSecond(), Duration.ZERO, reading.elapsed());
            }
            String label = shape.label(job);
            String bar = ProgressBar.withBar(label, reading, ProgressBar.Unit.ITEMS);
            String plain = ProgressBar.plain(label, reading, ProgressBar.Unit.ITEMS);
            if (ended) {
                display.finish(bar, plain);
                return answer;
            }
            display.update(bar, plain);
            pause();
        }
    }

    private void pause() {
        try {
            Thread.sleep(POLL_INTERVAL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            display.abandon();
            throw new CliException(ExitCodes.JOB_FAILED, "Interrupted; the job goes on without this CLI.");
        }
    }
}
