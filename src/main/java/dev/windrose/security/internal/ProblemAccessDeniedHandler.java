package dev.windrose.security.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.access.AccessDeniedHandler;

/** 403 for the REST API, as a problem detail naming the caller. */
class ProblemAccessDeniedHandler implements AccessDeniedHandler {

    private final ProblemResponses problems;

    ProblemAccessDeniedHandler(ProblemResponses problems) {
        this.problems = problems;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        String who = caller == null ? "You are" : "'" + caller.getName() + "' is";
        problems.write(request, response, HttpStatus.FORBIDDEN, "Forbidden",
                who + " not allowed to do this: the user's roles do not permit it.");
    }
}
