package dev.windrose.aggregation;

/** Whether a member uses a drive for capacity or as cache (only vSAN OSA and S2D with mixed drives have a cache tier). */
public enum DriveTier {
    CAPACITY,
    CACHE
}
