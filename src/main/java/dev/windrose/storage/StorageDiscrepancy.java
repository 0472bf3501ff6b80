package dev.windrose.storage;

/**
 * Something on disk that the database does not know, or the other way round, found when the console
 * starts: what a crash between a file-system change and its commit can leave behind (issue 13), or what
 * someone changed by hand. Published once per finding after the check has acted on it; the telemetry
 * feature raises an event for each.
 *
 * @param pool     the pool where it was found
 * @param poolName its name, for people
 * @param subject  the file, or the map entry (volume name, UUID, extents) and the disk holding it
 * @param action   what start-up did about it, in words
 */
public record StorageDiscrepancy(Kind kind, PoolId pool, String poolName, String subject, String action) {

    /** What disagreed. */
    public enum Kind {
        /** A volume file in a directory pool that no volume of the database owns. */
        ORPHAN_FILE,
        /** A volume of the database whose file is not in its directory pool. */
        MISSING_FILE,
        /** A volume in a disk pool's on-disk map that the database does not know. */
        ORPHAN_MAP_ENTRY,
        /** A volume of the database that a disk pool's on-disk map lacks. */
        MISSING_MAP_ENTRY,
        /** A volume the on-disk map records with another size or other extents than the database. */
        STALE_MAP_ENTRY,
        /** A member disk whose map could not be read or that no longer carries the pool's label. */
        UNREADABLE_MAP
    }

    /** One line for a log or an event: what, where, and what was done. */
    public String message() {
        return switch (kind) {
            case ORPHAN_FILE -> "Orphan volume file " + subject + " in pool " + poolName + ": " + action;
            case MISSING_FILE -> "Volume file missing in pool " + poolName + ": " + subject + ": " + action;
            case ORPHAN_MAP_ENTRY -> "Orphan map entry in pool " + poolName + ": " + subject + ": " + action;
            case MISSING_MAP_ENTRY -> "Map entry missing in pool " + poolName + ": " + subject + ": " + action;
            case STALE_MAP_ENTRY -> "Stale map entry in pool " + poolName + ": " + subject + ": " + action;
            case UNREADABLE_MAP -> "Volume map not checked in pool " + poolName + ": " + subject + ": " + action;
        };
    }
}
