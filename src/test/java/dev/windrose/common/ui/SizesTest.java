package dev.windrose.common.ui;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SizesTest {

    @Test
    void bytesBelowOneKibibyteAreShownWhole() {
        assertThat(Sizes.bytes(0)).isEqualTo("0 B");
        assertThat(Sizes.bytes(1023)).isEqualTo("1023 B");
    }

    @Test
    void largerCountsUseTheLargestBinaryUnitWithOneDecimalWhereItIsNotZero() {
        assertThat(Sizes.bytes(1024)).isEqualTo("1 KiB");
        assertThat(Sizes.bytes(1536)).isEqualTo("1.5 KiB");
        assertThat(Sizes.bytes(64L << 20)).isEqualTo("64 MiB");
        assertThat(Sizes.bytes(1023L << 20)).isEqualTo("1023 MiB");
        assertThat(Sizes.bytes(3L << 40)).isEqualTo("3 TiB");
    }

    @Test
    void theLargestUnitIsPebibytes() {
        assertThat(Sizes.bytes(2048L << 50)).isEqualTo("2048 PiB");
    }
}
