package dev.windrose.inventory;

import java.util.List;

/** What a rescan found: how many block devices, and which disks came and went. */
public record RescanResult(int blockDevicesFound, List<String> appeared, List<String> disappeared) {
}
