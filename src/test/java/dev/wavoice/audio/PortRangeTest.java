package dev.wavoice.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PortRangeTest {

  @Test
  void countsEvenOddPairs() {
    PortRange range = PortRange.parse("31000-31999");
    assertThat(range.pairs()).isEqualTo(500);
    assertThat(range.rtpPort(0)).isEqualTo(31000);
    assertThat(range.rtpPort(499)).isEqualTo(31998);

    PortRange odd = PortRange.parse(" 31001 - 31004 ");
    assertThat(odd.pairs()).isEqualTo(1); // 31002/31003; 31004 has no 31005
    assertThat(odd.rtpPort(0)).isEqualTo(31002);
  }

  @Test
  void refusesNonsenseWithAClearMessage() {
    assertThatThrownBy(() -> PortRange.parse("31000")).hasMessageContaining("31000-31999");
    assertThatThrownBy(() -> PortRange.parse("a-b")).hasMessageContaining("'a-b'");
    assertThatThrownBy(() -> PortRange.parse("32000-31000")).hasMessageContaining("first <= last");
    assertThatThrownBy(() -> PortRange.parse("31001-31001")).hasMessageContaining("no even RTP port");
    assertThatThrownBy(() -> PortRange.parse("0-10")).isInstanceOf(IllegalArgumentException.class);
  }
}
