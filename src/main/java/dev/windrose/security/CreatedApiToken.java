package dev.windrose.security;

/**
 * A token just created: {@code secret} is the bearer value, shown to the user this once and never
 * stored (only its SHA-256 is).
 */
public record CreatedApiToken(ApiTokenInfo info, String secret) {

    @Override
    public String toString() {
        return "CreatedApiToken[info=" + info + ", secret=<hidden>]";
    }
}
