package dev.windrose.security.internal;

import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;

/** The repository contract on H2, the default database, with the schema from the Flyway migrations. */
@DataJpaTest(properties = "spring.datasource.url=jdbc:h2:mem:repository-contract;DB_CLOSE_DELAY=-1")
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
class H2RepositoryTest extends RepositoryContract {
}
