package dev.windrose.cluster.internal;

import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;

/**
 * The database lock behind once-per-cluster jobs and the membership decision: Spring Integration's
 * JDBC lock registry over the {@code INT_LOCK} table (Flyway makes it), so no lock of our own making.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ClusterProperties.class)
class ClusterConfiguration {

    /**
     * A lock outlives its holder by this much at most: a node that dies holding it (kill -9) frees it
     * for the others after this time. Longer than any once-per-cluster job takes.
     */
    static final Duration LOCK_TIME_TO_LIVE = Duration.ofSeconds(30);

    @Bean
    DefaultLockRepository clusterLockRepository(DataSource dataSource) {
        DefaultLockRepository repository = new DefaultLockRepository(dataSource);
        repository.setRegion("windrose");
        return repository;
    }

    @Bean
    JdbcLockRegistry clusterLocks(DefaultLockRepository clusterLockRepository) {
        return new JdbcLockRegistry(clusterLockRepository, LOCK_TIME_TO_LIVE);
    }
}
