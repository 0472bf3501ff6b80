package dev.windrose.inventory.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.badge.Badge;
import com.vaadin.flow.component.html.Span;
import dev.windrose.inventory.DiskHealth;
import dev.windrose.inventory.DiskId;
import dev.windrose.inventory.DiskInfo;
import dev.windrose.inventory.DiskKind;
import dev.windrose.inventory.DiskTransport;
import dev.windrose.inventory.HealthStatus;
import dev.windrose.inventory.HostId;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The Disks page's health cell: a verdict other than OK says why in words on the page, not only in a tooltip. */
class DiskHealthCellTest {

    @Test
    void a_warning_names_the_field_that_made_it_beside_the_badge() {
        Component cell = DisksView.health(disk(new DiskHealth(HealthStatus.WARNING, "smartctl",
                "smartctl: Critical Warning bit 0 (available spare below threshold)", 44, 12, 0L, 1)));

        assertThat(texts(cell)).containsExactly("Warning · 44 °C",
                "smartctl: Critical Warning bit 0 (available spare below threshold)");
    }

    @Test
    void an_unknown_health_says_why_and_what_to_do() {
        Component cell = DisksView.health(disk(DiskHealth.unknown(
                "No health source: install smartmontools (smartctl) to read SMART data.")));

        assertThat(texts(cell)).containsExactly("Unknown",
                "No health source: install smartmontools (smartctl) to read SMART data.");
    }

    @Test
    void a_healthy_disk_shows_only_its_badge() {
        Component cell = DisksView.health(disk(new DiskHealth(HealthStatus.OK, "smartctl",
                "SMART overall-health self-assessment: PASSED", 35, 3, 0L, 0)));

        assertThat(texts(cell)).containsExactly("Healthy · 35 °C");
    }

    private static List<String> texts(Component cell) {
        return Stream.concat(Stream.of(cell), cell.getChildren())
                .filter(component -> component instanceof Badge || component instanceof Span)
                .map(component -> component.getElement().getText().isEmpty()
                        ? component.getElement().getTextRecursively() : component.getElement().getText())
                .toList();
    }

    private static DiskInfo disk(DiskHealth health) {
        return new DiskInfo(new DiskId(3), new HostId(1), "node1", "nvme0n1", DiskKind.BLOCK, "/dev/nvme0n1",
                "wwid:eui.1", "Model X", "S123", "1.0", DiskTransport.NVME, false, 1L << 40, 512, 4096, null, null,
                health, true, Instant.EPOCH, Instant.EPOCH);
    }
}
