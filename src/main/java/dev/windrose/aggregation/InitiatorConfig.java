package dev.windrose.aggregation;

/** A text a member's admin runs or installs, with the file name it is offered under. */
public record InitiatorConfig(MemberOs os, String fileName, String text) {
}
