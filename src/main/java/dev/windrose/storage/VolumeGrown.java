package dev.windrose.storage;

/**
 * A volume grew (published inside the growing transaction). Its data did not move: a directory volume's
 * file is longer, a disk-pool volume in one extent grew in place, a memory volume reserves more.
 */
public record VolumeGrown(VolumeId volume, long oldSizeBytes, long newSizeBytes) {
}
