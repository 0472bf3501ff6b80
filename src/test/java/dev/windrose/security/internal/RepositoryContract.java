package dev.windrose.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.windrose.security.AuditAction;
import dev.windrose.security.Role;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.PageRequest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

/**
 * What the schema and the repositories must do on every supported database. Subclasses run it on
 * H2 and on PostgreSQL, against a schema that only Flyway's migrations created (Hibernate validates).
 * Transactional here, not only through the subclasses' {@code @DataJpaTest}: the test methods are
 * declared in this class, and that is where Spring looks for the annotation. Every test rolls back.
 */
@Transactional
abstract class RepositoryContract {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @Autowired
    UserRepository users;
    @Autowired
    ApiTokenRepository tokens;
    @Autowired
    AuditEntryRepository audit;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void every_migration_ran_successfully() {
        List<String> versions = jdbc.queryForList(
                "select \"version\" from \"flyway_schema_history\" where \"success\" = true and \"version\" is not null "
                        + "order by \"installed_rank\"",
                String.class);
        assertThat(versions).startsWith("0001", "0002", "0003");
    }

    @Test
    void a_user_keeps_its_roles_and_only_enabled_admins_count_as_admins() {
        users.saveAndFlush(new UserEntity("ann", "{noop}x", Set.of(Role.ADMIN, Role.OPERATOR), T0));
        UserEntity disabled = new UserEntity("ben", "{noop}x", Set.of(Role.ADMIN), T0);
        disabled.setEnabled(false);
        users.saveAndFlush(disabled);
        users.saveAndFlush(new UserEntity("cid", "{noop}x", Set.of(Role.VIEWER), T0));

        assertThat(users.findByUsername("ann")).hasValueSatisfying(
                user -> assertThat(user.roles()).containsExactlyInAnyOrder(Role.ADMIN, Role.OPERATOR));
        assertThat(users.countEnabledAdmins()).isEqualTo(1);
        assertThat(users.findAllByOrderByUsernameAsc()).extracting(UserEntity::username).containsExactly("ann", "ben", "cid");
    }

    @Test
    void a_username_can_exist_only_once() {
        users.saveAndFlush(new UserEntity("dora", "{noop}x", Set.of(Role.VIEWER), T0));
        assertThatThrownBy(() -> users.saveAndFlush(new UserEntity("dora", "{noop}y", Set.of(Role.VIEWER), T0)))
                .isInstanceOf(DataIntegrityViolationException.class);
    }

    @Test
    void a_token_is_found_by_its_hash_and_timestamps_survive_the_round_trip() {
        UserEntity owner = users.saveAndFlush(new UserEntity("eve", "{noop}x", Set.of(Role.VIEWER), T0));
        String hash = ApiTokenSecrets.hash("wr_example");
        tokens.saveAndFlush(new ApiTokenEntity(owner.id(), "ci", hash, "wr_example", T0, T0.plus(30, ChronoUnit.DAYS)));

        ApiTokenEntity found = tokens.findByTokenHash(hash).orElseThrow();
        assertThat(found.toInfo().expiresAt()).isEqualTo(T0.plus(30, ChronoUnit.DAYS));
        assertThat(found.isExpiredAt(T0.plus(29, ChronoUnit.DAYS))).isFalse();
        assertThat(tokens.findByTokenHash(ApiTokenSecrets.hash("wr_other"))).isEmpty();
    }

    @Test
    void deleting_a_user_deletes_their_tokens_but_keeps_the_audit_trail() {
        UserEntity owner = users.saveAndFlush(new UserEntity("finn", "{noop}x", Set.of(Role.VIEWER), T0));
        tokens.saveAndFlush(new ApiTokenEntity(owner.id(), "t", ApiTokenSecrets.hash("wr_finn"), "wr_finn", T0, T0.plusSeconds(60)));
        audit.saveAndFlush(new AuditEntryEntity(T0, "finn", AuditAction.LOGIN, "finn", null, "10.0.0.1"));

        jdbc.update("delete from app_user where username = 'finn'");

        assertThat(jdbc.queryForObject("select count(*) from api_token", Integer.class)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from audit_entry where actor = 'finn'", Integer.class)).isEqualTo(1);
    }

    @Test
    void the_audit_log_pages_newest_first() {
        for (int i = 0; i < 5; i++) {
            audit.saveAndFlush(new AuditEntryEntity(T0.plusSeconds(i), "gil", AuditAction.LOGIN, "entry-" + i, null, null));
        }
        var page = audit.findAllByOrderByOccurredAtDescIdDesc(PageRequest.of(0, 2));
        assertThat(page.getTotalElements()).isEqualTo(5);
        assertThat(page.getContent()).extracting(entry -> entry.toEntry().target()).containsExactly("entry-4", "entry-3");
    }

    @Test
    void an_unknown_role_is_refused_by_the_database() {
        UserEntity user = users.saveAndFlush(new UserEntity("hal", "{noop}x", Set.of(Role.VIEWER), T0));
        assertThatThrownBy(() -> jdbc.update("insert into app_user_role (user_id, role) values (?, 'ROOT')", user.id().value()))
                .isInstanceOf(DataIntegrityViolationException.class);
    }
}
