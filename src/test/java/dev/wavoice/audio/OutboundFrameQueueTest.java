package dev.wavoice.audio;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OutboundFrameQueueTest {

  final OutboundFrameQueue queue = new OutboundFrameQueue(4, 160);
  final byte[] frame = new byte[160];
  final byte[] out = new byte[200];

  @Test
  void aClearTellsTheFramesSentOfThePartlyPlayedTag() {
    PlaybackItem item = new PlaybackItem("item_A");
    for (int i = 0; i < 3; i++) {
      queue.offer(item, frame, 0, 160);
    }
    queue.poll(out, 0);
    queue.poll(out, 0);
    assertThat(queue.clear()).contains(new Playhead("item_A", 2));
    assertThat(item.flushed).isTrue();
  }

  @Test
  void refusesFramesWhenFullAndReusesSlots() {
    PlaybackItem item = new PlaybackItem("item_A");
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

  /** Keeps what the tap was told, one entry per tick: the frame's first byte, or "silence". */
  static final class Tap implements SentAudioTap {
    final java.util.List<String> told = new java.util.ArrayList<>();

    @Override
    public void sent(byte[] f, int off, int len) {
      told.add(len + ":" + f[off]);
    }

    @Override
    public void silence() {
      told.add("silence");
    }
  }

  @Test
  void theTapHearsEachTickAsSentAndNothingFlushed() {
    Tap tap = new Tap();
    queue.tap(tap);
    PlaybackItem item = new PlaybackItem("item_A");
    for (int i = 1; i <= 3; i++) {
      frame[0] = (byte) i;
      queue.offer(item, frame, 0, 160);
    }
    queue.poll(out, 0);
    queue.clear(); // a barge-in: frames 2 and 3 never go out
    queue.poll(out, 0);

    assertThat(tap.told).containsExactly("160:1", "silence");
  }

  @Test
  void inOpusModeTheTapGetsTheRawFrameNotThePacketAndSilenceWhileNotEncoded() {
    OutboundFrameQueue opus = new OutboundFrameQueue(4, 400);
    Tap tap = new Tap();
    opus.tap(tap);
    PlaybackItem item = new PlaybackItem("item_A");
    byte[] pcm = new byte[AudioFormats.PCM24_FRAME_BYTES];
    pcm[0] = 42;
    opus.offerRaw(item, pcm, 0, pcm.length);
    assertThat(opus.poll(out, 0)).isEqualTo(OutboundFrameQueue.NOT_ENCODED);
    OutboundFrameQueue.RawFrame next = new OutboundFrameQueue.RawFrame(pcm.length);
    assertThat(opus.nextToEncode(next, 3)).isTrue();
    opus.encoded(next.number, new byte[] {7, 7, 7}, 3);
    assertThat(opus.poll(out, 0)).isEqualTo(3);

    assertThat(tap.told).containsExactly("silence", AudioFormats.PCM24_FRAME_BYTES + ":42");
  }
}
