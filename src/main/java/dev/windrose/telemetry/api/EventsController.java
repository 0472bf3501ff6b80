package dev.windrose.telemetry.api;

import dev.windrose.common.InvalidInputException;
import dev.windrose.common.Paging;
import dev.windrose.common.Paging.PageView;
import dev.windrose.telemetry.AlertThresholds;
import dev.windrose.telemetry.EventId;
import dev.windrose.telemetry.EventInfo;
import dev.windrose.telemetry.EventService;
import dev.windrose.telemetry.EventState;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Arrays;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Events", description = "Alerts raised as events (open, acknowledged, cleared) and their thresholds")
class EventsController {

    private final EventService events;

    EventsController(EventService events) {
        this.events = events;
    }

    @GetMapping("/api/v1/events")
    @Operation(summary = "A page of events, newest first, optionally only OPEN, ACKNOWLEDGED or CLEARED ones")
    PageView<EventInfo> list(@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size,
            @RequestParam(required = false) @Nullable String state) {
        return PageView.of(events.list(state(state), Paging.request(page, size)), event -> event);
    }

    @GetMapping("/api/v1/events/open-count")
    @Operation(summary = "How many events are OPEN (raised, not acknowledged, not cleared)")
    long openCount() {
        return events.openCount();
    }

    @GetMapping("/api/v1/events/{id}")
    @Operation(summary = "One event")
    EventInfo get(@PathVariable long id) {
        return events.get(new EventId(id));
    }

    @PostMapping("/api/v1/events/{id}/acknowledge")
    @Operation(summary = "Acknowledge an OPEN event (operators); audited. Acknowledging again changes nothing")
    EventInfo acknowledge(@PathVariable long id) {
        return events.acknowledge(new EventId(id));
    }

    @GetMapping("/api/v1/alert-thresholds")
    @Operation(summary = "The alert thresholds")
    AlertThresholds thresholds() {
        return events.thresholds();
    }

    @PutMapping("/api/v1/alert-thresholds")
    @Operation(summary = "Change the alert thresholds (admins); a null bound switches its rule off; audited")
    AlertThresholds updateThresholds(@RequestBody AlertThresholds thresholds) {
        return events.updateThresholds(thresholds);
    }

    private static @Nullable EventState state(@Nullable String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return EventState.valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("state", "'" + text + "' is no event state: use one of "
                    + Arrays.toString(EventState.values()) + ".");
        }
    }
}
