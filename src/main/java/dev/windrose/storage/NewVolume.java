package dev.windrose.storage;

import org.jspecify.annotations.Nullable;

/** A volume to create: its size in bytes is a whole number of MiB; provisioning defaults by pool type. */
public record NewVolume(String name, PoolId pool, long sizeBytes, @Nullable Provisioning provisioning) {
}
