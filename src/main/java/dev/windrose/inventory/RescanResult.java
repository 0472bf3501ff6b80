package dev.windrose.inventory;

import java.util.List;

/**
 * What a rescan found: how many block devices, which disks came and went, and which known disks the kernel
 * now calls by another name ({@code "sda -> sdb"}; the same disk, found by its identity).
 */
public record RescanResult(int blockDevicesFound, List<String> appeared, List<String> disappeared,
        List<String> renamed) {
}
