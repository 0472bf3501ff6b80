package dev.windrose.aggregation;

import dev.windrose.inventory.HostId;
import dev.windrose.storage.PoolId;
import dev.windrose.storage.PoolType;

/** What the rules need to know about a pool: where it is, what it is, how much it can still give. */
public record PoolFacts(PoolId id, String name, HostId host, PoolType type, long allocatableBytes) {
}
