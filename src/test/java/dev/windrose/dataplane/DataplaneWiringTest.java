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

    @Test
    void the_application_context_offers_the_loaded_native_dataplane() {
        assertThat(dataplane).isInstanceOf(NativeDataplane.class);
        assertThat(dataplane.abiVersion()).isEqualTo(StatsLayouts.ABI_VERSION);
        assertThat(dataplane.version()).matches("\\d+\\.\\d+\\.\\d+.*");
    }
}
