package dev.wavoice.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReorderBufferTest {

  final List<Integer> out = new ArrayList<>();
  final List<Byte> firstBytes = new ArrayList<>();
  ReorderBuffer buffer = new ReorderBuffer(3, (seq, ts, payload, off, len) -> {
    out.add(seq);
    firstBytes.add(payload[off]);
  });

  void push(int... seqs) {
    for (int seq : seqs) {
      byte[] packet = {(byte) seq, 1, 2};
      buffer.push(seq & 0xFFFF, seq * 160L, packet, 0, packet.length);
    }
  }

  @Test
  void passesInOrderPacketsAtOnce() {
    push(10, 11, 12);
    assertThat(out).containsExactly(10, 11, 12);
    assertThat(buffer.lost()).isZero();
  }

  @Test
  void putsReorderedPacketsBackInOrderWithTheirOwnPayload() {
    push(10, 12, 13);
    assertThat(out).containsExactly(10); // 11 may still come
    push(11);
    assertThat(out).containsExactly(10, 11, 12, 13);
    assertThat(firstBytes).containsExactly((byte) 10, (byte) 11, (byte) 12, (byte) 13);
    assertThat(buffer.lost()).isZero();
  }

  @Test
  void givesUpAMissingPacketOnceDepthPacketsWait() {
    push(10, 12, 13);
    assertThat(out).containsExactly(10);
    push(14); // three held: 11 is lost
    assertThat(out).containsExactly(10, 12, 13, 14);
    assertThat(buffer.lost()).isEqualTo(1);

    push(11); // too late now
    assertThat(out).containsExactly(10, 12, 13, 14);
    assertThat(buffer.late()).isEqualTo(1);
    assertThat(buffer.duplicates()).isZero();
  }

  @Test
  void aJumpBeyondTheDepthGivesUpTheGapAtOnce() {
    push(10, 20);
    assertThat(out).containsExactly(10); // 17..19 may still come, 11..16 are given up
    assertThat(buffer.lost()).isEqualTo(6);
    push(17, 19, 18);
    assertThat(out).containsExactly(10, 17, 18, 19, 20);
    assertThat(buffer.lost()).isEqualTo(6);
  }

  @Test
  void countsDuplicatesWhetherDeliveredOrHeld() {
    push(10, 11, 11, 10);
    push(13, 13);
    assertThat(out).containsExactly(10, 11);
    assertThat(buffer.duplicates()).isEqualTo(3);
    assertThat(buffer.late()).isZero();
  }

  @Test
  void handlesTheSequenceNumberWrap() {
    push(65534, 65535, 1, 0, 2);
    assertThat(out).containsExactly(65534, 65535, 0, 1, 2);
    push(65535); // behind the delivery point across the wrap: a duplicate
    assertThat(buffer.duplicates()).isEqualTo(1);
    assertThat(buffer.lost()).isZero();
  }

  @Test
  void aHugeJumpIsARestartNotALoss() {
    push(100, 101, 30_000, 30_001);
    assertThat(out).containsExactly(100, 101, 30_000, 30_001);
    assertThat(buffer.resyncs()).isEqualTo(1);
    assertThat(buffer.lost()).isZero();
  }

  @Test
  void resetDeliversWhatIsHeldAndFollowsANewStream() {
    push(10, 12);
    buffer.reset();
    assertThat(out).containsExactly(10, 12);
    push(500, 501);
    assertThat(out).containsExactly(10, 12, 500, 501);
  }

  @Test
  void depthZeroNeverWaits() {
    buffer = new ReorderBuffer(0, (seq, ts, payload, off, len) -> out.add(seq));
    push(1, 3, 2, 4);
    assertThat(out).containsExactly(1, 3, 4);
    assertThat(buffer.lost()).isEqualTo(1);
    assertThat(buffer.late()).isEqualTo(1);
  }
}
