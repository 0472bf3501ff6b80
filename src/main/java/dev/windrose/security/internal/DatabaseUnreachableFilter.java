package dev.windrose.security.internal;

import dev.windrose.common.DatabaseUnreachable;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * First in the API's chain: when the database cannot be reached, even signing in with a token fails
 * (tokens live there), before any controller could answer. Such a failure, wherever it happens, is answered
 * 503 with the same words as a refused change, not a bare 500.
 */
class DatabaseUnreachableFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(DatabaseUnreachableFilter.class);

    private final ProblemResponses problems;

    DatabaseUnreachableFilter(ProblemResponses problems) {
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (RuntimeException | ServletException e) {
            if (!DatabaseUnreachable.isCause(e) || response.isCommitted()) {
                throw e;
            }
            log.warn("{} {} failed because the database cannot be reached: {}", request.getMethod(),
                    request.getRequestURI(), e.toString());
            problems.write(request, response, HttpStatus.SERVICE_UNAVAILABLE, "Database unreachable",
                    DatabaseUnreachable.MESSAGE);
        }
    }
}
