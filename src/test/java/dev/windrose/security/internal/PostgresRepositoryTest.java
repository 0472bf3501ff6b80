package dev.windrose.security.internal;

import dev.windrose.support.PostgresAvailable;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The repository contract on the real PostgreSQL server, in a fresh schema per run (so parallel or
 * repeated runs never collide), created and migrated by Flyway and dropped afterwards.
 */
@ExtendWith(PostgresAvailable.class)
@DataJpaTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
class PostgresRepositoryTest extends RepositoryContract {

    private static final String SCHEMA = PostgresAvailable.freshSchema("wr_test_");

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        PostgresAvailable.useSchema(registry, SCHEMA);
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        PostgresAvailable.dropSchema(SCHEMA);
    }
}
