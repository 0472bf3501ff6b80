package dev.windrose.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.windrose.common.InvalidInputException;
import dev.windrose.inventory.HostId;
import org.junit.jupiter.api.Test;

class MetricObjectTest {

    @Test
    void keys_parse_back_to_the_same_object_even_with_colons_and_slashes_in_the_nqn() {
        for (MetricObject object : new MetricObject[] {MetricObject.cluster(), new MetricObject.Host(new HostId(3)),
                new MetricObject.Subsystem("nqn.2026-11.com.example:a/b"),
                new MetricObject.Namespace("nqn.2026-11.com.example:a/b", 12)}) {
            assertThat(MetricObject.parse("object", object.key())).isEqualTo(object);
        }
    }

    @Test
    void a_malformed_key_is_invalid_input_naming_the_field() {
        for (String bad : new String[] {"", "volume:1", "host:x", "namespace:nqn.x", "namespace:nqn.x/0", "subsystem:"}) {
            assertThatThrownBy(() -> MetricObject.parse("object", bad)).isInstanceOf(InvalidInputException.class)
                    .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo("object"));
        }
    }
}
