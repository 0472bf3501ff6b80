package dev.windrose.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.windrose.dataplane.ControllerIdRange;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ControllerIdsTest {

    @Test
    void slots_are_disjoint_and_stay_within_the_controller_ids_a_controller_may_have() {
        List<ControllerIdRange> ranges = IntStream.range(0, ControllerIds.SLOTS).mapToObj(ControllerIds::of).toList();
        assertThat(ranges.getFirst()).isEqualTo(new ControllerIdRange(1, 1023));
        assertThat(ranges.get(1)).isEqualTo(new ControllerIdRange(1025, 2047));
        assertThat(ranges.getLast().max()).isLessThanOrEqualTo(ControllerIdRange.MAX);
        for (int i = 1; i < ranges.size(); i++) {
            assertThat(ranges.get(i).min()).isGreaterThan(ranges.get(i - 1).max());
        }
        assertThatThrownBy(() -> ControllerIds.of(ControllerIds.SLOTS)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_new_node_gets_the_lowest_free_slot_and_none_when_all_are_taken() {
        assertThat(ControllerIds.free(List.of())).hasValue(0);
        assertThat(ControllerIds.free(List.of(0, 1, 3))).hasValue(2);
        assertThat(ControllerIds.free(IntStream.range(0, ControllerIds.SLOTS).boxed().toList())).isEmpty();
    }
}
