package dev.windrose.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

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
}
