package io.wagateway.media;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ByteRangeTest {

    @Test
    void oneRangeInItsThreeForms() {
        assertThat(ByteRange.parse("bytes=0-9", 100)).containsExactly(0, 9);
        assertThat(ByteRange.parse("bytes=90-", 100)).containsExactly(90, 99);
        assertThat(ByteRange.parse("bytes=-10", 100)).containsExactly(90, 99);
        assertThat(ByteRange.parse("bytes=-500", 100)).containsExactly(0, 99);
        assertThat(ByteRange.parse("bytes=50-500", 100)).containsExactly(50, 99);
    }

    @Test
    void outsideIsUnsatisfiableAndOtherFormsServeTheWholeFile() {
        assertThat(ByteRange.parse("bytes=100-", 100)).isSameAs(ByteRange.UNSATISFIABLE);
        assertThat(ByteRange.parse("bytes=-0", 100)).isSameAs(ByteRange.UNSATISFIABLE);
        assertThat(ByteRange.parse("bytes=0-1,5-6", 100)).isNull();
        assertThat(ByteRange.parse("items=0-1", 100)).isNull();
        assertThat(ByteRange.parse("bytes=9-2", 100)).isNull();
        assertThat(ByteRange.parse("bytes=x-2", 100)).isNull();
    }
}
