package dev.windrose.security;

/** What an audit entry records. */
public enum AuditAction {
    LOGIN,
    LOGIN_FAILED,
    LOGIN_THROTTLED,
    LOGOUT,
    FIRST_ADMIN_CREATED,
    USER_CREATED,
    USER_ROLES_CHANGED,
    USER_ENABLED,
    USER_DISABLED,
    USER_PASSWORD_CHANGED,
    USER_DELETED,
    TOKEN_CREATED,
    TOKEN_REVOKED,
    // Storage inventory (issue 5): hosts, disks, pools, volumes.
    HOST_REGISTERED,
    DISK_APPEARED,
    DISK_DISAPPEARED,
    LAB_DISK_CREATED,
    LAB_DISK_DELETED,
    POOL_CREATED,
    POOL_CHANGED,
    POOL_DELETED,
    VOLUME_CREATED,
    VOLUME_GROWN,
    VOLUME_DELETED,
    MIRROR_CREATED,
    MIRROR_DELETED,
    MIRROR_HANDED_OVER,
    // Fabric (issue 6): subsystems, namespaces, listeners, allowed hosts.
    SUBSYSTEM_CREATED,
    SUBSYSTEM_CHANGED,
    SUBSYSTEM_DELETED,
    NAMESPACE_ADDED,
    NAMESPACE_REMOVED,
    LISTENER_ADDED,
    LISTENER_REMOVED,
    HOST_ALLOWED,
    HOST_DISALLOWED,
    INITIATOR_ADDED,
    INITIATOR_REMOVED,
    // Telemetry (issue 7): events and alert thresholds.
    EVENT_ACKNOWLEDGED,
    ALERT_THRESHOLDS_CHANGED,
    // Alert delivery (issue 14): e-mail and webhook settings, and their test messages.
    ALERT_DELIVERY_CHANGED,
    ALERT_DELIVERY_TESTED,
    // Aggregation (issue 9): S2D and vSAN compute clusters.
    AGGREGATION_CREATED,
    AGGREGATION_CHANGED,
    AGGREGATION_DELETED,
    // Guided set-up (issue 8).
    CLUSTER_NAMED,
    ONBOARDING_FINISHED,
    ONBOARDING_SKIPPED,
    ONBOARDING_RESTARTED,
    // Cluster (issue 15): membership and join tokens.
    NODE_ASKED_TO_JOIN,
    NODE_FOUNDED_CLUSTER,
    NODE_JOINED_WITH_TOKEN,
    NODE_ACCEPTED,
    NODE_RENAMED,
    NODE_REMOVED,
    JOIN_TOKEN_CREATED
}
