package dev.windrose.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/** The application loads the packaged library at start-up and offers it as the {@link Dataplane} bean. */
@SpringBootTest
@ActiveProfiles("test")
class DataplaneWiringTest {

    @Autowired
    Dataplane dataplane;
    @Autowired
    EmbeddedTarget embeddedTarget;

    @Test
    void the_application_context_offers_the_loaded_native_dataplane() {
        assertThat(dataplane).isInstanceOf(NativeDataplane.class);
        assertThat(dataplane.abiVersion()).isEqualTo(StatsLayouts.ABI_VERSION);
        assertThat(dataplane.version()).matches("\\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void the_embedded_target_runs_with_the_application() {
        assertThat(embeddedTarget.isRunning()).isTrue();
        assertThat(embeddedTarget.status().listenPort()).isPositive();
    }
}
