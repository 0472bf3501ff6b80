package dev.windrose.aggregation;

import dev.windrose.support.PostgresAvailable;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Every aggregation REST test again on the real PostgreSQL server, in a fresh schema migrated by Flyway and
 * dropped afterwards: the aggregation tables (V0050-V0052), creating, changing, rolling back a change that
 * fails part-way and deleting must work on both databases.
 */
@ExtendWith(PostgresAvailable.class)
class AggregationApiPostgresTest extends AggregationApiTest {

    private static final String SCHEMA = PostgresAvailable.freshSchema("wr_aggregation_");

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        PostgresAvailable.useSchema(registry, SCHEMA);
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        PostgresAvailable.dropSchema(SCHEMA);
    }
}
