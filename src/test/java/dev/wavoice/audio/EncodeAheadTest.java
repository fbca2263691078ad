package dev.wavoice.audio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.testkit.Await;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Opus-mode bot frames are encoded shortly before their turn: only {@link EncodeAhead#LOOKAHEAD} ahead
 * of the pacer, in order, starting afresh after a flush, and never the frames a flush dropped. The
 * encoder here numbers its payloads (4 bytes: the frame's own number, written by the test into the raw
 * frame), so the order on the wire and what was encoded can be told apart.
 */
class EncodeAheadTest {

  static final int RAW = AudioFormats.PCM24_FRAME_BYTES;

  /** Copies the frame's number (its first 4 bytes) into the payload; counts encodes and resets. */
  static final class NumberingEncoder implements OutboundEncoder {
    final List<Integer> encoded = java.util.Collections.synchronizedList(new ArrayList<>());
    final List<Integer> resetBefore = java.util.Collections.synchronizedList(new ArrayList<>());
    volatile int resets;
    private volatile boolean resetPending;

    @Override
    public int encode(byte[] frame, int off, byte[] out) {
      int number = ByteBuffer.wrap(frame, off, 4).getInt();
      if (resetPending) {
        resetBefore.add(number);
        resetPending = false;
      }
      encoded.add(number);
      System.arraycopy(frame, off, out, 0, 4);
      return 4;
    }

    @Override
    public int maxPayloadBytes() {
      return 16;
    }

    @Override
    public byte[] silencePayload() {
      return new byte[4];
    }

    @Override
    public void reset() {
      resets++;
      resetPending = true;
    }
  }

  final NumberingEncoder encoder = new NumberingEncoder();
  final OutboundFrameQueue queue = new OutboundFrameQueue(100, encoder.maxPayloadBytes());
  final PlaybackItem item = new PlaybackItem("item_A");
  final byte[] out = new byte[16];

  EncodeAhead ahead(java.util.concurrent.Executor executor) {
    EncodeAhead ahead = new EncodeAhead(queue, encoder, executor, RAW);
    queue.encodeWith(ahead::request);
    return ahead;
  }

  void offer(EncodeAhead ahead, int from, int count) {
    byte[] frame = new byte[RAW];
    for (int n = from; n < from + count; n++) {
      ByteBuffer.wrap(frame).putInt(0, n);
      assertThat(queue.offerRaw(item, frame, 0, RAW)).isTrue();
      ahead.request();
    }
  }

  /** The pacer's part: poll one frame and, as RtpSender does after the send, announce it. */
  int send() {
    int length = queue.poll(out, 0);
    if (length >= 0) {
      queue.announceSent();
      return ByteBuffer.wrap(out, 0, 4).getInt();
    }
    return length;
  }

  @Test
  void onlyTheLookaheadIsEncodedAndEachSentFrameMakesRoomForOneMore() {
    EncodeAhead ahead = ahead(Runnable::run);
    offer(ahead, 0, 50);
    assertThat(encoder.encoded).containsExactly(0, 1, 2);
    assertThat(send()).isZero();
    assertThat(encoder.encoded).containsExactly(0, 1, 2, 3);
    for (int n = 1; n < 50; n++) {
      assertThat(send()).isEqualTo(n);
    }
    assertThat(encoder.encoded).hasSize(50);
    assertThat(send()).isEqualTo(-1);
    assertThat(queue.encodeLateTicks()).isZero();
  }

  @Test
  void aFlushedFrameIsNeverEncodedAndTheEncoderStartsAfreshBeforeTheNextOne() {
    EncodeAhead ahead = ahead(Runnable::run);
    offer(ahead, 0, 50);
    send();
    send();
    queue.clear(); // barge-in: 48 frames dropped, 3 of them had been encoded (2, 3, 4)
    offer(ahead, 100, 5);
    for (int n = 100; n < 105; n++) {
      assertThat(send()).isEqualTo(n);
    }
    assertThat(encoder.encoded).containsExactly(0, 1, 2, 3, 4, 100, 101, 102, 103, 104);
    assertThat(encoder.resetBefore).containsExactly(100);
  }

  @Test
  void aHeadFrameNotEncodedYetWaitsForTheNextTickAndIsCounted() {
    List<Runnable> pending = new ArrayList<>();
    EncodeAhead ahead = ahead(pending::add); // the encoder threads are busy: nothing runs yet
    offer(ahead, 0, 5);
    assertThat(pending).hasSize(1); // one run scheduled, however many frames came
    assertThat(queue.poll(out, 0)).isEqualTo(OutboundFrameQueue.NOT_ENCODED);
    assertThat(queue.encodeLateTicks()).isEqualTo(1);
    pending.remove(0).run();
    assertThat(send()).isZero(); // the frame was kept, not skipped
  }

  @Test
  void aPayloadEncodedWhileItsFrameWasFlushedIsDropped() {
    ahead(task -> {}); // nothing runs by itself: the test plays the encoder thread
    byte[] frame = new byte[RAW];
    ByteBuffer.wrap(frame).putInt(0, 7);
    queue.offerRaw(item, frame, 0, RAW);
    OutboundFrameQueue.RawFrame taken = new OutboundFrameQueue.RawFrame(RAW);
    assertThat(queue.nextToEncode(taken, EncodeAhead.LOOKAHEAD)).isTrue();
    queue.clear(); // flushed while "being encoded"
    ByteBuffer.wrap(frame).putInt(0, 8);
    queue.offerRaw(item, frame, 0, RAW);
    queue.encoded(taken.number, new byte[] {0, 0, 0, 7}, 4);
    assertThat(queue.poll(out, 0)).isEqualTo(OutboundFrameQueue.NOT_ENCODED); // frame 8 is still raw
    assertThat(queue.nextToEncode(taken, EncodeAhead.LOOKAHEAD)).isTrue();
    assertThat(ByteBuffer.wrap(taken.bytes).getInt(0)).isEqualTo(8);
    assertThat(taken.generation).isEqualTo(1);
  }

  @Test
  void onTheRealEncoderThreadsFramesGoOutInOrder() {
    try (FrameEncoders threads = new FrameEncoders(2)) {
      EncodeAhead ahead = ahead(threads);
      offer(ahead, 0, 100);
      for (int n = 0; n < 100; n++) {
        Await.until(Duration.ofSeconds(5), "frame " + n + " encoded", () -> queue.hasEncodedHead());
        assertThat(send()).isEqualTo(n);
      }
      assertThat(encoder.encoded).hasSize(100);
      assertThat(encoder.resets).isZero();
    }
  }
}
