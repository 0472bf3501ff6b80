package dev.windrose.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Status;

class EmbeddedTargetTest {

    @TempDir
    static Path libraryDir;
    static NativeDataplane dataplane;

    @BeforeAll
    static void load() {
        dataplane = NativeDataplane.load(NativeLibraryExtractor.extract(libraryDir));
    }

    @AfterAll
    static void unload() {
        dataplane.close();
    }

    @Test
    void the_target_starts_with_a_discovery_listener_and_stops_cleanly() {
        EmbeddedTarget target = new EmbeddedTarget(dataplane, properties(true, 0));
        target.start();
        try {
            assertThat(target.isRunning()).isTrue();
            assertThat(target.status().listenPort()).isPositive();
            assertThat(target.target()).isPresent();
            assertThat(new DataplaneHealthIndicator(dataplane, target).health().getStatus()).isEqualTo(Status.UP);
        } finally {
            target.stop();
        }
        assertThat(target.isRunning()).isFalse();
        assertThat(target.target()).isEmpty();
    }

    @Test
    void a_taken_port_leaves_the_console_running_and_the_health_down_with_the_reason() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            EmbeddedTarget target = new EmbeddedTarget(dataplane, properties(true, taken.getLocalPort()));
            target.start();

            assertThat(target.isRunning()).isFalse();
            assertThat(target.status().problem()).contains("could not start on 127.0.0.1:" + taken.getLocalPort())
                    .contains("EADDRINUSE");
            var health = new DataplaneHealthIndicator(dataplane, target).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails().get("problem").toString()).contains("EADDRINUSE");
        }
    }

    @Test
    void the_controller_id_range_comes_from_the_properties_until_the_cluster_sets_one() {
        EmbeddedTarget target = new EmbeddedTarget(dataplane, new EmbeddedTargetProperties(true, 1,
                PollMode.ADAPTIVE, "", "127.0.0.1", 0, null, null, 0, 0, 0, 1000, 1999, null));
        assertThat(target.controllerIdRange()).isEqualTo(new ControllerIdRange(1000, 1999));
        target.setControllerIdRange(new ControllerIdRange(2000, 2999));
        target.start();
        try {
            assertThat(target.isRunning()).isTrue();
            assertThat(target.controllerIdRange()).isEqualTo(new ControllerIdRange(2000, 2999));
            target.setControllerIdRange(new ControllerIdRange(3000, 3999));   // while running: for new controllers
            assertThat(target.controllerIdRange()).isEqualTo(new ControllerIdRange(3000, 3999));
        } finally {
            target.stop();
        }
        assertThat(properties(true, 0).controllerIds()).isEqualTo(ControllerIdRange.ALL);
    }

    @Test
    void a_bad_controller_id_range_in_the_properties_keeps_the_target_down_with_the_reason() {
        EmbeddedTarget target = new EmbeddedTarget(dataplane, new EmbeddedTargetProperties(true, 1,
                PollMode.ADAPTIVE, "", "127.0.0.1", 0, null, null, 0, 0, 0, 500, 400, null));
        target.start();
        assertThat(target.isRunning()).isFalse();
        assertThat(target.status().problem()).contains("500..400");
    }

    @Test
    void a_disabled_target_never_starts_and_is_not_a_health_problem() {
        EmbeddedTarget target = new EmbeddedTarget(dataplane, properties(false, 0));
        target.start();
        assertThat(target.isRunning()).isFalse();
        assertThat(new DataplaneHealthIndicator(dataplane, target).health().getStatus()).isEqualTo(Status.UP);
    }

    private static EmbeddedTargetProperties properties(boolean enabled, int port) {
        return new EmbeddedTargetProperties(enabled, 1, PollMode.ADAPTIVE, "", "127.0.0.1", port, null, null, 0,
                0, 0, 0, 0, null);
    }
}
