package dev.windrose.cluster.internal;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the cluster ({@code windrose.cluster.*}).
 *
 * @param joinToken a join token an administrator created; a node started with it joins without waiting
 *     to be accepted (unattended installs). Used once.
 * @param membershipRefresh how often a node rereads its own membership (an administrator may accept or
 *     remove it on another node); read by {@code LocalMembership}'s schedule, PT2S when unset
 */
@ConfigurationProperties(prefix = "windrose.cluster")
public record ClusterProperties(@Nullable String joinToken, @Nullable Duration membershipRefresh) {
}
