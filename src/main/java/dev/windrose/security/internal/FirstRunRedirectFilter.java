package dev.windrose.security.internal;

import dev.windrose.security.UserService;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * While no user exists, every page a browser opens is redirected to the first-run set-up. Only
 * page loads are redirected: Vaadin's own requests (static resources, UIDL, heartbeats) pass.
 */
class FirstRunRedirectFilter extends OncePerRequestFilter {

    static final String SETUP_PATH = "/setup";
    private static final List<String> PASS_THROUGH_PREFIXES = List.of(SETUP_PATH, "/VAADIN/", "/HEARTBEAT", "/error",
            "/favicon", "/icons/", "/images/", "/themes/", "/sw.js", "/manifest.webmanifest", "/offline");

    private final UserService users;

    FirstRunRedirectFilter(UserService users) {
        this.users = users;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (isPageLoad(request) && !users.hasAnyUser()) {
            response.sendRedirect(request.getContextPath() + SETUP_PATH);
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean isPageLoad(HttpServletRequest request) {
        if (!HttpMethod.GET.matches(request.getMethod()) || request.getParameter("v-r") != null) {
            return false;
        }
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        if (accept == null || !accept.contains("text/html")) {
            return false;
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return PASS_THROUGH_PREFIXES.stream().noneMatch(path::startsWith);
    }
}
