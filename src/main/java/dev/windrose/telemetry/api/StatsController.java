package dev.windrose.telemetry.api;

import dev.windrose.common.InvalidInputException;
import dev.windrose.common.NotFoundException;
import dev.windrose.telemetry.ClusterSample;
import dev.windrose.telemetry.MetricObject;
import dev.windrose.telemetry.NodeSample;
import dev.windrose.telemetry.NodeStatistics;
import dev.windrose.telemetry.SeriesPoint;
import dev.windrose.telemetry.TelemetryService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

@RestController
@RequestMapping("/api/v1/stats")
@Tag(name = "Statistics", description = "Live I/O statistics of the dataplane, their history, and a stream of samples")
class StatsController {

    private static final Duration DEFAULT_RANGE = Duration.ofHours(1);
    private static final Duration DEFAULT_STEP = Duration.ofSeconds(10);

    private final TelemetryService telemetry;
    private final SampleStreams streams;
    private final NodeStatistics nodes;
    private final Clock clock;

    StatsController(TelemetryService telemetry, SampleStreams streams, NodeStatistics nodes, Clock clock) {
        this.telemetry = telemetry;
        this.nodes = nodes;
        this.streams = streams;
        this.clock = clock;
    }

    @GetMapping
    @Operation(summary = "The newest sample: IOPS, MiB/s, latency p50/p99/p99.9 (µs) and errors over the last "
            + "interval for the cluster, each host, subsystem and namespace, and reactor busy %")
    ClusterSample current() {
        return telemetry.latest().orElseThrow(() -> new NotFoundException(
                "There is no sample yet: the sampler needs a running NVMe/TCP target and one sample interval."));
    }

    @GetMapping("/nodes")
    @Operation(summary = "Every node's newest sample as this node has it: IOPS, MiB/s, latency p50/p99/p99.9 (µs), "
            + "whether its dataplane runs, when the node took it (sampledAt) and how long it took to arrive here "
            + "(arrivalDelayMillis); a node that stopped keeps its last sample, look at sampledAt")
    List<NodeSample> nodes() {
        return nodes.latest();
    }

    @GetMapping("/history")
    @Operation(summary = "A series for one object: one point per step between from and to (ISO-8601), from the live "
            + "ring (1 s, 15 min), the 10 s history (1 day) or the 1 min history (30 days); gaps have no point")
    List<SeriesPoint> history(
            @Parameter(description = "cluster, host:<id>, subsystem:<nqn> or namespace:<nqn>/<nsid>")
            @RequestParam(required = false) @Nullable String object,
            @Parameter(description = "ISO-8601 instant; default: an hour before 'to'")
            @RequestParam(required = false) @Nullable String from,
            @Parameter(description = "ISO-8601 instant; default: now")
            @RequestParam(required = false) @Nullable String to,
            @Parameter(description = "ISO-8601 duration, at least PT1S; default PT10S")
            @RequestParam(required = false) @Nullable String step) {
        if (object == null || object.isBlank()) {
            throw new InvalidInputException("object", "Name the object: cluster, host:<id>, subsystem:<nqn> or "
                    + "namespace:<nqn>/<nsid>.");
        }
        Instant end = to == null ? clock.instant() : instant("to", to);
        Instant start = from == null ? end.minus(DEFAULT_RANGE) : instant("from", from);
        Duration stepLength = step == null ? DEFAULT_STEP : duration("step", step);
        return telemetry.history(MetricObject.parse("object", object), start, end, stepLength);
    }

    @GetMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "Server-Sent Events: the newest sample at once, then every new one as "
            + "'event: sample' with the same JSON as GET /api/v1/stats",
            responses = @ApiResponse(responseCode = "200", description = "a text/event-stream of samples",
                    content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
                            schema = @Schema(implementation = ClusterSample.class))))
    SseEmitter stream() {
        return streams.open(telemetry.latest().orElse(null));
    }

    private static Instant instant(String field, String text) {
        try {
            return Instant.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(field, "'" + text + "' is not an ISO-8601 instant such as 2026-11-25T12:00:00Z.");
        }
    }

    private static Duration duration(String field, String text) {
        try {
            return Duration.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(field, "'" + text + "' is not an ISO-8601 duration such as PT10S or PT1M.");
        }
    }
}
