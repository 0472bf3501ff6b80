package dev.windrose.security.api;

import dev.windrose.security.ApiTokenService;
import dev.windrose.security.CreatedApiToken;
import dev.windrose.security.Role;
import dev.windrose.security.UserService;
import dev.windrose.security.UserSummary;
import dev.windrose.security.internal.LoginThrottledException;
import dev.windrose.security.internal.WindrosePrincipal;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/auth")
@Tag(name = "Authentication", description = "Obtain API tokens and check who you are")
class AuthController {

    private final ApiTokenService tokens;
    private final UserService users;

    AuthController(ApiTokenService tokens, UserService users) {
        this.tokens = tokens;
        this.users = users;
    }

    record TokenRequest(
            @NotBlank String username,
            @NotBlank String password,
            @NotBlank @Size(max = ApiTokenService.MAX_NAME_LENGTH) String name,
            @NotNull @Min(1) @Max(ApiTokenService.MAX_EXPIRY_DAYS) Integer expiresInDays) {

        /** Never log the password. */
        @Override
        public String toString() {
            return "TokenRequest[username=" + username + ", name=" + name + ", expiresInDays=" + expiresInDays + "]";
        }
    }

    record Whoami(String username, Set<Role> roles, @Nullable String tokenName) {
    }

    @PostMapping("/tokens")
    @ResponseStatus(HttpStatus.CREATED)
    @SecurityRequirements
    @Operation(summary = "Exchange username and password for an API token",
            description = "For scripts and headless installs. The token (`secret`) is returned only in this response. "
                    + "Failed attempts are throttled like sign-ins and recorded in the audit log.")
    TokenCreated createToken(@Valid @RequestBody TokenRequest request, HttpServletRequest http) {
        CreatedApiToken created = tokens.exchangeCredentials(request.username(), request.password(), request.name(),
                request.expiresInDays(), new WebAuthenticationDetails(http));
        return TokenCreated.of(created);
    }

    @GetMapping("/whoami")
    @Operation(summary = "The user and roles the presented token stands for")
    Whoami whoami(Authentication authentication) {
        UserSummary user = users.currentUser();
        String tokenName = authentication.getPrincipal() instanceof WindrosePrincipal p
                ? p.tokenName() : null;
        return new Whoami(user.username(), new TreeSet<>(user.roles()), tokenName);
    }

    @ExceptionHandler(AuthenticationException.class)
    ResponseEntity<ProblemDetail> credentialsRefused(AuthenticationException e) {
        boolean throttled = e instanceof LockedException;
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                throttled ? HttpStatus.TOO_MANY_REQUESTS : HttpStatus.UNAUTHORIZED,
                throttled ? e.getMessage() : "The username or password is not correct.");
        problem.setTitle(throttled ? "Too many failed sign-ins" : "Unauthorized");
        var response = ResponseEntity.status(problem.getStatus());
        if (e instanceof LoginThrottledException locked) {
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(locked.retryAfterSeconds()));
        }
        return response.body(problem);
    }

    /** The response of token creation: the only time the secret is shown. */
    record TokenCreated(long id, String name, String secret, Instant createdAt, Instant expiresAt) {

        static TokenCreated of(CreatedApiToken created) {
            return new TokenCreated(created.info().id().value(), created.info().name(), created.secret(),
                    created.info().createdAt(), created.info().expiresAt());
        }
    }
}
