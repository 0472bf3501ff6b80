package dev.windrose.telemetry.internal;

import dev.windrose.support.PostgresAvailable;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The telemetry stores again on the real PostgreSQL server, in a fresh schema migrated by Flyway (V0030–V0032). */
@ExtendWith(PostgresAvailable.class)
class TelemetryStoresPostgresTest extends TelemetryStoresTest {

    private static final String SCHEMA = PostgresAvailable.freshSchema("wr_telemetry_");

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        PostgresAvailable.useSchema(registry, SCHEMA);
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        PostgresAvailable.dropSchema(SCHEMA);
    }
}
