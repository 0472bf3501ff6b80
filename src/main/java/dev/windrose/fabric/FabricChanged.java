package dev.windrose.fabric;

/** The desired state of a subsystem changed (published inside the changing transaction). */
public record FabricChanged(SubsystemId subsystem) {
}
