package dev.windrose.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class RoleTest {

    @Test
    void every_role_constant_matches_its_enum_name() {
        assertThat(Role.ADMIN.authority()).isEqualTo("ROLE_" + Role.Names.ADMIN).isEqualTo("ROLE_ADMIN");
        assertThat(Role.OPERATOR.authority()).isEqualTo("ROLE_OPERATOR");
        assertThat(Role.VIEWER.authority()).isEqualTo("ROLE_VIEWER");
        assertThat(Role.Expressions.ADMIN).isEqualTo("hasRole('ADMIN')");
    }

    @Test
    void admin_includes_operator_and_viewer_but_viewer_includes_nothing_else() {
        assertThat(Role.ADMIN.withIncludedRoles()).isEqualTo(EnumSet.allOf(Role.class));
        assertThat(Role.OPERATOR.withIncludedRoles()).containsExactlyInAnyOrder(Role.OPERATOR, Role.VIEWER);
        assertThat(Role.VIEWER.withIncludedRoles()).containsExactly(Role.VIEWER);
    }
}
