package dev.windrose.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.windrose.inventory.DiskId;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** A pool request travels to another node as JSON (issue 15): it must arrive as it left. */
class NewPoolJsonTest {

    @Test
    void a_pool_request_survives_the_trip_through_json() {
        JsonMapper json = JsonMapper.builder().build();
        NewPool sent = new NewPool("fast", PoolType.DISK, null, null, List.of(new DiskId(5), new DiskId(7)), null, true);
        String text = json.writeValueAsString(sent);
        assertThat(text).contains("\"diskIds\":[5,7]");
        assertThat(json.readValue(text, NewPool.class)).isEqualTo(sent);
    }
}
