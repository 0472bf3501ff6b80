package dev.windrose.security.internal;

import dev.windrose.security.UserService;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/** While no user exists, the REST API answers 503 and says how to create the administrator. */
class FirstRunApiGuard extends OncePerRequestFilter {

    static final String DETAIL = "Windrose is not set up yet: no administrator exists. Open the console in a "
            + "browser (it leads to /setup) or start Windrose once with WINDROSE_INITIAL_ADMIN_PASSWORD set.";

    private final UserService users;
    private final ProblemResponses problems;

    FirstRunApiGuard(UserService users, ProblemResponses problems) {
        this.users = users;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (users.hasAnyUser()) {
            chain.doFilter(request, response);
            return;
        }
        problems.write(request, response, HttpStatus.SERVICE_UNAVAILABLE, "Set-up required", DETAIL);
    }
}
