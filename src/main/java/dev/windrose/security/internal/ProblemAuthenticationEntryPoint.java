package dev.windrose.security.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

/** 401 for the REST API, as a problem detail that says how to authenticate. */
class ProblemAuthenticationEntryPoint implements AuthenticationEntryPoint {

    private final ProblemResponses problems;

    ProblemAuthenticationEntryPoint(ProblemResponses problems) {
        this.problems = problems;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException reason)
            throws IOException {
        boolean badToken = reason instanceof InvalidApiTokenException || reason instanceof DisabledException;
        String detail = badToken ? reason.getMessage()
                : "This endpoint needs an API token: send 'Authorization: Bearer wr_…'. Create one in the console "
                        + "(API tokens) or with POST /api/v1/auth/tokens.";
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE,
                badToken ? "Bearer realm=\"windrose\", error=\"invalid_token\"" : "Bearer realm=\"windrose\"");
        problems.write(request, response, HttpStatus.UNAUTHORIZED, "Unauthorized", String.valueOf(detail));
    }
}
