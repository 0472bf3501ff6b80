package dev.windrose.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Runs a test class only when the PostgreSQL server at 127.0.0.1:5432 (db {@code test}, user
 * {@code postgres}; WINDROSE_TEST_POSTGRES_URL/_USER/_PASSWORD override) answers. When it does not, the class is skipped with a loud message; with
 * {@code WINDROSE_REQUIRE_POSTGRES=true} (as in .ci/run) it fails instead.
 */
public final class PostgresAvailable implements ExecutionCondition {

    public static final String URL = env("WINDROSE_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    public static final String USER = env("WINDROSE_TEST_POSTGRES_USER", "postgres");
    public static final String PASSWORD = env("WINDROSE_TEST_POSTGRES_PASSWORD", "");
    static final String REQUIRE_ENV = "WINDROSE_REQUIRE_POSTGRES";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        try (Connection ignored = connect()) {
            return ConditionEvaluationResult.enabled("PostgreSQL answers at " + URL);
        } catch (SQLException e) {
            String message = "PostgreSQL at " + URL + " (user " + USER + ") is unreachable: " + e.getMessage();
            if (Boolean.parseBoolean(System.getenv(REQUIRE_ENV))) {
                throw new IllegalStateException(message + " -- and " + REQUIRE_ENV + "=true makes this suite mandatory.", e);
            }
            System.err.println("""

                    ****************************************************************************************
                    *  SKIPPED: the PostgreSQL suite (%s)
                    *  %s
                    *  Start PostgreSQL on 127.0.0.1:5432 with a database 'test' for user 'postgres',
                    *  or set %s=true to make this a failure.
                    ****************************************************************************************
                    """.formatted(context.getDisplayName(), message, REQUIRE_ENV));
            return ConditionEvaluationResult.disabled("SKIPPED LOUDLY: " + message);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    public static Connection connect() throws SQLException {
        DriverManager.setLoginTimeout(3);
        return DriverManager.getConnection(URL, USER, PASSWORD);
    }

    /** A schema name of its own for one test class, so parallel or repeated runs never collide. */
    public static String freshSchema(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** Points the test's datasource, Flyway (which creates and migrates the schema) and Hibernate at the schema. */
    public static void useSchema(DynamicPropertyRegistry registry, String schema) {
        registry.add("spring.datasource.url", () -> URL + "?currentSchema=" + schema);
        registry.add("spring.datasource.username", () -> USER);
        registry.add("spring.datasource.password", () -> PASSWORD);
        registry.add("spring.flyway.schemas", () -> schema);
        registry.add("spring.flyway.default-schema", () -> schema);
        registry.add("spring.flyway.create-schemas", () -> "true");
        registry.add("spring.jpa.properties.hibernate.default_schema", () -> schema);
    }

    public static void dropSchema(String schema) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}
