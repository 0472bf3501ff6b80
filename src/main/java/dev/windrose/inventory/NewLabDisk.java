package dev.windrose.inventory;

import org.jspecify.annotations.Nullable;

/**
 * A file-backed lab disk to create on the local host.
 *
 * @param directory where the file goes; the configured lab-disk directory when null
 */
public record NewLabDisk(String name, long sizeBytes, @Nullable String directory) {
}
