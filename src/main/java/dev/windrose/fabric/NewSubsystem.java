package dev.windrose.fabric;

import org.jspecify.annotations.Nullable;

/**
 * A subsystem to create.
 *
 * @param serial at most 20 printable ASCII characters; null generates one
 * @param model at most 40 printable ASCII characters; null for {@value FabricService#DEFAULT_MODEL}
 */
public record NewSubsystem(String nqn, @Nullable String serial, @Nullable String model, boolean allowAnyHost) {
}
