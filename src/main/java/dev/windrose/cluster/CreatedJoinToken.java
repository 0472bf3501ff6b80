package dev.windrose.cluster;

import java.time.Instant;

/**
 * A join token as created: the secret is shown this once (only its hash is stored).
 *
 * @param command what to run on the new node so that it joins with this token
 */
public record CreatedJoinToken(long id, String secret, Instant expiresAt, String command) {
}
