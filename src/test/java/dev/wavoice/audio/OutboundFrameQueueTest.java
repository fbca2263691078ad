package dev.wavoice.audio;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OutboundFrameQueueTest {

  final OutboundFrameQueue queue = new OutboundFrameQueue(4, 160);
  final byte[] frame = new byte[160];
  final byte[] out = new byte[200];

  @Test
  void theTruncationPointIsClampedToWhatWasReceived() {
    PlaybackItem item = new PlaybackItem("item_A", 1, AudioFormats.PCMU_BYTES_PER_MS);
    queue.addReceived(item, 30 * AudioFormats.PCMU_BYTES_PER_MS); // 30 ms received ...
    for (int i = 0; i < 3; i++) {
      queue.offer(item, frame, 0, 160); // ... but three frames queued (say, padded)
    }
    queue.poll(out, 0);
    queue.poll(out, 0);
    assertThat(queue.clear()).contains(new Truncation("item_A", 1, 30)); // not the 40 ms sent
  }

  @Test
  void refusesFramesWhenFullAndReusesSlots() {
    PlaybackItem item = new PlaybackItem("item_A", 0, AudioFormats.PCMU_BYTES_PER_MS);
    for (int i = 0; i < 4; i++) {
      assertThat(queue.offer(item, frame, 0, 160)).isTrue();
    }
    assertThat(queue.offer(item, frame, 0, 160)).isFalse();
    assertThat(queue.poll(out, 12)).isEqualTo(160);
    assertThat(queue.offer(item, frame, 0, 160)).isTrue();
    assertThat(queue.size()).isEqualTo(4);
    for (int i = 0; i < 4; i++) {
      assertThat(queue.poll(out, 0)).isEqualTo(160);
    }
    assertThat(queue.poll(out, 0)).isEqualTo(-1);
    assertThat(item.sentMs()).isEqualTo(100);
  }
}
