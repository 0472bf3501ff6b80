package dev.windrose.storage;

/** Whether a volume's space is reserved when it is created or taken as it is written. */
public enum Provisioning {
    THIN, THICK
}
