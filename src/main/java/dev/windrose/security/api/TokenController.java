package dev.windrose.security.api;

import dev.windrose.security.ApiTokenId;
import dev.windrose.security.ApiTokenInfo;
import dev.windrose.security.ApiTokenService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/tokens")
@Tag(name = "API tokens", description = "The caller's own API tokens")
class TokenController {

    private final ApiTokenService tokens;
    private final Clock clock;

    TokenController(ApiTokenService tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
    }

    record TokenView(long id, String name, String prefix, ApiTokenInfo.Status status, Instant createdAt,
            Instant expiresAt, @Nullable Instant lastUsedAt, @Nullable Instant revokedAt) {

        static TokenView of(ApiTokenInfo info, Instant now) {
            return new TokenView(info.id().value(), info.name(), info.prefix(), info.statusAt(now), info.createdAt(),
                    info.expiresAt(), info.lastUsedAt(), info.revokedAt());
        }
    }

    @GetMapping
    @Operation(summary = "List the caller's API tokens (never their secrets)")
    List<TokenView> list() {
        Instant now = clock.instant();
        return tokens.listMine().stream().map(info -> TokenView.of(info, now)).toList();
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Revoke one of the caller's API tokens; it stops working at once")
    void revoke(@PathVariable long id) {
        tokens.revoke(new ApiTokenId(id));
    }
}
