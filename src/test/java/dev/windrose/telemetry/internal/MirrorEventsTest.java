package dev.windrose.telemetry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.windrose.mirror.MirrorIncident;
import dev.windrose.security.SystemViewer;
import dev.windrose.telemetry.AlertRule;
import dev.windrose.telemetry.EventInfo;
import dev.windrose.telemetry.EventService;
import dev.windrose.telemetry.EventState;
import dev.windrose.telemetry.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.PageRequest;
import org.springframework.test.context.ActiveProfiles;

/**
 * A mirrored volume on one leg is one open event per mirror, updated while it lasts (a lost leg, then a
 * failover) and cleared when the partner is current again.
 */
@SpringBootTest(properties = "windrose.test-context=fabric-api")
@ActiveProfiles("test")
class MirrorEventsTest {

    @Autowired
    ApplicationEventPublisher publisher;
    @Autowired
    EventService events;

    @Test
    void a_lost_leg_raises_one_event_a_failover_updates_it_and_the_resync_clears_it() {
        long mirror = System.nanoTime() % 1_000_000_000L;
        publisher.publishEvent(new MirrorIncident(mirror, "vm-store", MirrorIncident.Kind.LEG_LOST,
                "Mirrored volume vm-store on node-1: the partner's leg failed"));
        publisher.publishEvent(new MirrorIncident(mirror, "vm-store", MirrorIncident.Kind.FAILOVER,
                "Mirrored volume vm-store on node-2: took over"));

        List<EventInfo> open = mirrorEvents(mirror);
        assertThat(open).hasSize(1);
        assertThat(open.getFirst().state()).isEqualTo(EventState.OPEN);
        assertThat(open.getFirst().severity()).isEqualTo(Severity.WARNING);
        assertThat(open.getFirst().message()).contains("took over");

        publisher.publishEvent(new MirrorIncident(mirror, "vm-store", MirrorIncident.Kind.BACK_IN_SYNC,
                "Mirrored volume vm-store on node-2: resynchronised"));

        assertThat(mirrorEvents(mirror)).singleElement().extracting(EventInfo::state).isEqualTo(EventState.CLEARED);
    }

    private List<EventInfo> mirrorEvents(long mirror) {
        return SystemViewer.read(() -> events.list(null, PageRequest.of(0, 500)).getContent()).stream()
                .filter(e -> e.rule() == AlertRule.MIRROR && e.objectKey().equals("mirror:" + mirror)).toList();
    }
}
