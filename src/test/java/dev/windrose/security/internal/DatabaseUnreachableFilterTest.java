package dev.windrose.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.windrose.common.DatabaseUnreachable;
import jakarta.servlet.FilterChain;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.transaction.CannotCreateTransactionException;
import tools.jackson.databind.json.JsonMapper;

/** A request that fails anywhere in the API chain because the database is away is a 503 in words. */
class DatabaseUnreachableFilterTest {

    private final DatabaseUnreachableFilter filter = new DatabaseUnreachableFilter(
            new ProblemResponses(JsonMapper.builder().build()));

    @Test
    void a_token_lookup_without_a_database_is_answered_503_with_what_to_do() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        FilterChain chain = (request, answer) -> {
            throw new CannotCreateTransactionException("Could not open JPA EntityManager for transaction",
                    new SQLTransientConnectionException("HikariPool-1 - Connection is not available"));
        };
        filter.doFilter(new MockHttpServletRequest("POST", "/api/v1/pools"), response, chain);
        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getContentType()).isEqualTo("application/problem+json");
        assertThat(response.getContentAsString()).contains("Database unreachable")
                .contains("nothing was changed").contains("\"instance\":\"/api/v1/pools\"");
    }

    @Test
    void other_failures_are_not_disguised_as_a_missing_database() {
        FilterChain chain = (request, answer) -> {
            throw new IllegalStateException("a bug");
        };
        assertThatThrownBy(() -> filter.doFilter(new MockHttpServletRequest("GET", "/api/v1/pools"),
                new MockHttpServletResponse(), chain)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void a_lost_connection_is_recognised_however_deeply_it_is_wrapped() {
        assertThat(DatabaseUnreachable.isCause(new RuntimeException(new CannotGetJdbcConnectionException("no")))).isTrue();
        assertThat(DatabaseUnreachable.isCause(new RuntimeException(new SQLTransientConnectionException("pool"))))
                .isTrue();
        assertThat(DatabaseUnreachable.isCause(new RuntimeException("other"))).isFalse();
    }
}
