package dev.windrose.inventory.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.windrose.inventory.HostInfo;
import dev.windrose.inventory.HostState;
import java.lang.reflect.Field;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostEntityTest {

    static final Duration HEARTBEAT = Duration.ofSeconds(30);
    static final Instant START = Instant.parse("2026-11-25T10:00:00Z");
    static final HostFacts FACTS = new HostFacts("machine-a", "node-a", List.of("10.0.0.5", "127.0.0.1"),
            "Debian GNU/Linux 12", "6.1.0", 8, 32L << 30, "0.1.0", "adaptive");

    @Test
    void a_host_is_online_until_three_heartbeats_are_missed_then_offline() throws Exception {
        HostEntity host = saved(new HostEntity(FACTS, START));
        assertThat(host.toInfo(START.plus(HEARTBEAT.multipliedBy(3)), HEARTBEAT, "machine-a").state())
                .isEqualTo(HostState.ONLINE);
        assertThat(host.toInfo(START.plus(HEARTBEAT.multipliedBy(3)).plusSeconds(1), HEARTBEAT, "machine-a").state())
                .isEqualTo(HostState.OFFLINE);
        host.heartbeat(START.plus(Duration.ofMinutes(10)));
        assertThat(host.toInfo(START.plus(Duration.ofMinutes(10)).plusSeconds(5), HEARTBEAT, "machine-a").state())
                .isEqualTo(HostState.ONLINE);
    }

    @Test
    void the_facts_of_a_new_start_replace_the_old_ones_but_the_registration_time_stays() throws Exception {
        HostEntity host = saved(new HostEntity(FACTS, START));
        Instant restart = START.plus(Duration.ofDays(2));
        host.update(new HostFacts("machine-a", "node-a-renamed", List.of("10.0.0.6"), "Debian GNU/Linux 13", "6.12.0",
                16, 64L << 30, "0.2.0", "busy"), restart);

        HostInfo info = host.toInfo(restart, HEARTBEAT, "other-machine");
        assertThat(info.name()).isEqualTo("node-a-renamed");
        assertThat(info.addresses()).containsExactly("10.0.0.6");
        assertThat(info.cpuCores()).isEqualTo(16);
        assertThat(info.dataplaneMode()).isEqualTo("busy");
        assertThat(info.registeredAt()).isEqualTo(START);
        assertThat(info.lastHeartbeatAt()).isEqualTo(restart);
        assertThat(info.local()).as("another machine is asking").isFalse();
    }

    /** An id as the database would give it. */
    private static HostEntity saved(HostEntity host) throws Exception {
        Field id = HostEntity.class.getDeclaredField("id");
        id.setAccessible(true);
        id.set(host, 7L);
        return host;
    }
}
