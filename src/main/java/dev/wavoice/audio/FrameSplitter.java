package dev.wavoice.audio;

/**
 * Cuts a byte stream that arrives in pieces of any size into fixed-size frames (20 ms of audio),
 * carrying the remainder of one piece over to the next. A frame that is already whole in the input is
 * handed on without a copy. One instance per stream direction; not thread-safe.
 */
final class FrameSplitter {

  /** Receives each complete frame; the buffer is only valid during the call. */
  interface FrameConsumer {
    void onFrame(byte[] frame, int off, int len);
  }

  private final int frameBytes;
  private final byte[] partial;
  private final FrameConsumer consumer;
  private int pending;

  FrameSplitter(int frameBytes, FrameConsumer consumer) {
    this.frameBytes = frameBytes;
    this.partial = new byte[frameBytes];
    this.consumer = consumer;
  }

  /** Bytes waiting for the rest of their frame. */
  int pending() {
    return pending;
  }

  void write(byte[] src, int off, int len) {
    int end = off + len;
    int at = off;
    if (pending > 0) {
      int take = Math.min(frameBytes - pending, end - at);
      System.arraycopy(src, at, partial, pending, take);
      pending += take;
      at += take;
      if (pending < frameBytes) {
        return;
      }
      pending = 0;
      consumer.onFrame(partial, 0, frameBytes);
    }
    while (end - at >= frameBytes) {
      consumer.onFrame(src, at, frameBytes);
      at += frameBytes;
    }
    if (at < end) {
      System.arraycopy(src, at, partial, 0, end - at);
      pending = end - at;
    }
  }

  /** Appends {@code count} copies of {@code value} (silence), emitting frames as they fill. */
  void fill(byte value, int count) {
    int left = count;
    while (left > 0) {
      int take = Math.min(frameBytes - pending, left);
      java.util.Arrays.fill(partial, pending, pending + take, value);
      pending += take;
      left -= take;
      if (pending == frameBytes) {
        pending = 0;
        consumer.onFrame(partial, 0, frameBytes);
      }
    }
  }

  /** Pads a partial frame with {@code silence} and emits it; returns the number of padding bytes. */
  int finish(byte silence) {
    if (pending == 0) {
      return 0;
    }
    int padding = frameBytes - pending;
    fill(silence, padding);
    return padding;
  }

  /** Drops a partial frame. */
  void reset() {
    pending = 0;
  }
}
