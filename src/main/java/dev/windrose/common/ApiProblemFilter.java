package dev.windrose.common;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every answer under {@code /api} is problem+json, also where no controller is involved:
 * <ul>
 * <li>a path no REST endpoint has ({@code /api/v1/USERS}, {@code /API/v1/users}, {@code /api/v1/users.json})
 * would fall through to the Vaadin console and answer 200 with its page: it is a 404 problem here, before
 * anything else runs;</li>
 * <li>errors raised outside Spring MVC's exception handling (a request the firewall rejects, a method the
 * path does not have, a servlet error) reach the container's error page: for an API path it is written
 * here as a problem instead of the generic error page.</li>
 * </ul>
 * It runs before Spring Security, so an unknown API path is a 404 for anyone; the OpenAPI document lists
 * the existing ones openly anyway.
 */
class ApiProblemFilter extends OncePerRequestFilter {

    private final ObjectProvider<RequestMappingHandlerMapping> restMappings;
    private final JsonMapper json;

    ApiProblemFilter(ObjectProvider<RequestMappingHandlerMapping> restMappings, JsonMapper json) {
        this.restMappings = restMappings;
        this.json = json;
    }

    static boolean isApiPath(@Nullable String uri) {
        if (uri == null) {
            return false;
        }
        String lower = uri.toLowerCase(Locale.ROOT);
        return lower.equals("/api") || lower.startsWith("/api/") || lower.startsWith("/api;");
    }

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getDispatcherType() == DispatcherType.ERROR) {
            String original = (String) request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
            if (isApiPath(original)) {
                writeError(request, response, original);
                return;
            }
        } else if (isApiPath(request.getRequestURI()) && !malformed(request.getRequestURI()) && !hasEndpoint(request)) {
            write(response, HttpStatus.NOT_FOUND, "Not found", "There is no API endpoint at " + request.getRequestURI()
                    + ". Paths are case-sensitive and have no suffix; /v3/api-docs lists them all.",
                    request.getRequestURI());
            return;
        }
        chain.doFilter(request, response);
    }

    /** Left to the firewall, which refuses them with a 400 that the error dispatch above turns into a problem. */
    private static boolean malformed(String uri) {
        return uri.contains("//") || uri.contains(";") || uri.contains("%");
    }

    /** Whether some REST controller maps this path (with any method: a wrong one is MVC's 405). */
    private boolean hasEndpoint(HttpServletRequest request) {
        RequestMappingHandlerMapping mappings = restMappings.getIfAvailable();
        if (mappings == null) {
            return true;
        }
        Object previous = request.getAttribute(ServletRequestPathUtils.PATH_ATTRIBUTE);
        try {
            ServletRequestPathUtils.parseAndCache(request);
            HandlerExecutionChain handler = mappings.getHandler(request);
            return handler != null;
        } catch (Exception mappedButRefused) {
            // A path that exists with another method or media type: MVC answers that (405, 415).
            return true;
        } finally {
            request.setAttribute(ServletRequestPathUtils.PATH_ATTRIBUTE, previous);
            if (previous == null) {
                request.removeAttribute(ServletRequestPathUtils.PATH_ATTRIBUTE);
            }
        }
    }

    private void writeError(HttpServletRequest request, HttpServletResponse response, String original)
            throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer value && HttpStatus.resolve(value) != null
                ? HttpStatus.valueOf(value) : HttpStatus.INTERNAL_SERVER_ERROR;
        String detail = switch (status) {
            case BAD_REQUEST -> "The request is malformed (for example an empty path segment, a ';' parameter, "
                    + "an encoded slash or a bad percent-encoding); send the plain path as /v3/api-docs lists it.";
            case METHOD_NOT_ALLOWED -> "This path does not take the method " + request.getMethod()
                    + "; /v3/api-docs lists the methods it takes.";
            case NOT_FOUND -> "There is no API endpoint at " + original + ".";
            case INTERNAL_SERVER_ERROR -> "The server failed to answer this request; the log says why.";
            default -> status.getReasonPhrase() + ".";
        };
        write(response, status, status.getReasonPhrase(), detail, original);
    }

    private void write(HttpServletResponse response, HttpStatus status, String title, String detail, String path)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        problem.setInstance(instance(path));
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }

    private static @Nullable URI instance(String path) {
        try {
            return URI.create(path);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
