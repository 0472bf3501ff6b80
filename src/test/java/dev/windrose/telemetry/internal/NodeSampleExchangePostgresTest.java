package dev.windrose.telemetry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.windrose.support.PostgresAvailable;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The same on the real PostgreSQL server, polling only once a minute: a sample of another node that
 * arrives within seconds came by LISTEN/NOTIFY.
 */
@ExtendWith(PostgresAvailable.class)
class NodeSampleExchangePostgresTest extends NodeSampleExchangeTest {

    private static final String SCHEMA = PostgresAvailable.freshSchema("wr_nodesample_");

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        PostgresAvailable.useSchema(registry, SCHEMA);
        registry.add("windrose.telemetry.node-poll-interval", () -> "PT1M");
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        PostgresAvailable.dropSchema(SCHEMA);
    }

    @Test
    void a_dedicated_connection_listens_for_the_notifications() throws Exception {
        assertThat(eventually(() -> exchange.listening() ? Boolean.TRUE : null)).isTrue();
    }
}
