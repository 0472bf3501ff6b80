package dev.windrose.cluster.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.vaadin.flow.spring.security.AuthenticationContext;
import dev.windrose.cluster.ClusterService;
import dev.windrose.cluster.JoinCommand;
import dev.windrose.cluster.Membership;
import dev.windrose.cluster.NodeInfo;
import dev.windrose.inventory.HostId;
import dev.windrose.inventory.HostState;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DataAccessResourceFailureException;

/** While the database does not answer, the Nodes page keeps what it showed and says why it is not current. */
class NodesViewDatabaseAwayTest {

    @Test
    @SuppressWarnings("unchecked")
    void a_refresh_without_the_database_keeps_the_list_and_says_so_until_it_answers_again() {
        ClusterService cluster = mock(ClusterService.class);
        NodeInfo node = new NodeInfo(new HostId(1), "node-1", "m1", List.of("127.0.0.1"), Membership.MEMBER,
                HostState.ONLINE, Instant.now(), true, Instant.now(), Instant.now(), "first node", List.of());
        when(cluster.joinCommand()).thenReturn(new JoinCommand(true, "./run.sh"));
        when(cluster.nodes()).thenReturn(List.of(node))
                .thenThrow(new DataAccessResourceFailureException("PostgreSQL does not answer"))
                .thenReturn(List.of(node));
        NodesView view = new NodesView(cluster, mock(ObjectProvider.class), mock(AuthenticationContext.class),
                Clock.systemUTC());
        assertThat(view.refusal()).isEmpty();

        view.refresh();
        assertThat(view.refusal()).isEqualTo("The nodes cannot be read now: PostgreSQL does not answer");
        assertThat(view.shown()).containsExactly(node);

        view.refresh();
        assertThat(view.refusal()).isEmpty();
    }
}
