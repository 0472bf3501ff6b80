package dev.windrose.security.internal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer wr_…} for one request. A request without the header
 * passes on anonymous (the authorization rules decide); a bad token is answered 401 at once, with
 * the reason.
 */
class ApiTokenAuthenticationFilter extends OncePerRequestFilter {

    private static final String BEARER = "Bearer ";

    private final ApiTokenAuthenticator authenticator;
    private final AuthenticationEntryPoint entryPoint;

    private final ObjectProvider<SecurityContextHolderStrategy> strategies;

    ApiTokenAuthenticationFilter(ApiTokenAuthenticator authenticator, AuthenticationEntryPoint entryPoint,
            ObjectProvider<SecurityContextHolderStrategy> strategies) {
        this.authenticator = authenticator;
        this.entryPoint = entryPoint;
        this.strategies = strategies;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            chain.doFilter(request, response);
            return;
        }
        // Looked up per request: Vaadin installs its own strategy after this filter is built. This
        // application's strategy bean, not the JVM-global one, which belongs to whichever application
        // context started last (tests run several in one JVM; the authorization filter reads the bean's).
        SecurityContextHolderStrategy contexts = strategies.getIfAvailable(SecurityContextHolder::getContextHolderStrategy);
        try {
            Authentication authentication = authenticator.authenticate(header.substring(BEARER.length()).strip());
            SecurityContext context = contexts.createEmptyContext();
            context.setAuthentication(authentication);
            contexts.setContext(context);
        } catch (AuthenticationException e) {
            contexts.clearContext();
            entryPoint.commence(request, response, e);
            return;
        }
        chain.doFilter(request, response);
    }
}
