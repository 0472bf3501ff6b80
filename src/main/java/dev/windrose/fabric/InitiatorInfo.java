package dev.windrose.fabric;

import java.time.Instant;

/** A known initiator: its host NQN and the name people know it by. */
public record InitiatorInfo(long id, String hostNqn, String name, Instant createdAt) {
}
