package dev.windrose.storage;

import dev.windrose.support.PostgresAvailable;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Every storage REST test again on the real PostgreSQL server, in a fresh schema migrated by Flyway and
 * dropped afterwards: the migrations and the filtered queries (null parameters) must work on both databases.
 */
@ExtendWith(PostgresAvailable.class)
class StorageApiPostgresTest extends StorageApiTest {

    private static final String SCHEMA = PostgresAvailable.freshSchema("wr_storage_");

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        PostgresAvailable.useSchema(registry, SCHEMA);
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        PostgresAvailable.dropSchema(SCHEMA);
    }
}
