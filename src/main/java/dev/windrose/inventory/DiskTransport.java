package dev.windrose.inventory;

/** How a disk is attached, as far as sysfs tells. */
public enum DiskTransport {
    NVME, SATA, SAS, SCSI, VIRTIO, USB, MMC, XEN, FILE, UNKNOWN
}
