package dev.windrose.cluster;

import dev.windrose.cluster.internal.JobRunEntity;
import dev.windrose.cluster.internal.JobRunRepository;
import dev.windrose.cluster.internal.LocalMembership;
import dev.windrose.inventory.HostService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.Lock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs a job once per period across the cluster. Every node schedules the job as before; each run asks
 * here first. A run goes ahead only on a member node that takes the job's database lock (Spring
 * Integration's JDBC lock registry) and finds no run of the job, by any node, in the last nine tenths
 * of the period: the lock alone would only stop two nodes running at the same instant, not one after
 * the other. Every run is recorded (job, node, time), which is also how a test counts them.
 */
@Component
public class OncePerCluster {

    private static final Logger log = LoggerFactory.getLogger(OncePerCluster.class);
    /** Runs older than this many periods are deleted when the job runs again: enough to count, bounded. */
    private static final int KEPT_PERIODS = 500;

    private final JdbcLockRegistry locks;
    private final JobRunRepository runs;
    private final LocalMembership membership;
    private final HostService hosts;
    private final Clock clock;
    private final TransactionTemplate transactions;

    OncePerCluster(JdbcLockRegistry locks, JobRunRepository runs, LocalMembership membership, HostService hosts,
            Clock clock, PlatformTransactionManager transactionManager) {
        this.locks = locks;
        this.runs = runs;
        this.membership = membership;
        this.hosts = hosts;
        this.clock = clock;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /**
     * Runs {@code work} here if it is this node's turn; returns whether it ran. A database that cannot
     * be reached means no run (and a debug line): the job's next schedule tries again.
     */
    public boolean run(String job, Duration period, Runnable work) {
        if (!membership.isMember()) {
            return false;
        }
        Lock lock = locks.obtain("job:" + job);
        try {
            if (!lock.tryLock()) {
                return false;
            }
        } catch (RuntimeException e) {
            log.debug("Could not take the lock of cluster job {}", job, e);
            return false;
        }
        try {
            if (!claimRun(job, period)) {
                return false;
            }
            work.run();
            return true;
        } finally {
            unlockQuietly(lock, job);
        }
    }

    private boolean claimRun(String job, Duration period) {
        Instant now = clock.instant();
        Instant notBefore = now.minus(period.multipliedBy(9).dividedBy(10));
        long host = hosts.local().id().value();
        Boolean claimed = transactions.execute(status -> {
            boolean ranRecently = runs.findFirstByJobOrderByStartedAtDesc(job)
                    .map(last -> last.startedAt().isAfter(notBefore)).orElse(false);
            if (ranRecently) {
                return false;
            }
            runs.save(new JobRunEntity(job, host, now));
            runs.deleteOlder(job, now.minus(period.multipliedBy(KEPT_PERIODS)));
            return true;
        });
        return Boolean.TRUE.equals(claimed);
    }

    private static void unlockQuietly(Lock lock, String job) {
        try {
            lock.unlock();
        } catch (RuntimeException e) {
            // The lock expires by itself (its time to live); the next run of the job takes it again.
            log.debug("Could not release the lock of cluster job {}", job, e);
        }
    }
}
