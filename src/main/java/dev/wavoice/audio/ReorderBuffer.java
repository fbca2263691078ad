package dev.wavoice.audio;

/**
 * Puts the packets of one RTP stream back in sequence-number order. A packet that arrives in order is
 * passed on at once, without a copy; after a gap, up to {@code depth} later packets are held (copied)
 * while the missing one may still arrive. When the gap does not close in time it is given up as lost
 * and the held packets are passed on; the receiver fills the lost time from the RTP timestamps.
 *
 * <p>Sequence numbers wrap at 65536. A packet behind the delivery point is a duplicate (if it was
 * delivered) or late (if its slot was given up); either is dropped and counted. A jump of more than
 * {@value #RESYNC_DISTANCE} packets either way is a restarted stream: delivery resumes from it.
 *
 * <p>Used by the call's receive thread only; the counters may be read from any thread.
 */
final class ReorderBuffer {

  /** Receives packets in order; the payload buffer is only valid during the call. */
  interface Output {
    void onPacket(int sequenceNumber, long timestamp, byte[] payload, int off, int len);
  }

  /** RFC 3550 A.1 MAX_DROPOUT: a larger jump is a new start, not a loss. */
  static final int RESYNC_DISTANCE = 3000;
  static final int MAX_PAYLOAD_BYTES = RtpSocketPair.MAX_DATAGRAM_BYTES;
  private static final int HISTORY_BITS = 64;

  private final int depth;
  private final int mask;
  private final Output output;
  private final byte[][] payloads;
  private final int[] lengths;
  private final long[] timestamps;
  private final boolean[] held;
  private int heldCount;

  private boolean started;
  private int nextSeq;
  /** Bit i tells whether sequence number nextSeq - 1 - i was delivered (1) or given up (0). */
  private long history;

  // single writer (the receive thread); volatile so stats readers see them
  private volatile long delivered;
  private volatile long lost;
  private volatile long late;
  private volatile long duplicates;
  private volatile long resyncs;

  ReorderBuffer(int depth, Output output) {
    if (depth < 0 || depth > 64) {
      throw new IllegalArgumentException("reorder depth must be 0..64 frames, was " + depth);
    }
    this.depth = depth;
    int capacity = Math.max(1, Integer.highestOneBit(depth) << 1); // a power of two > depth
    this.mask = capacity - 1;
    this.output = output;
    this.payloads = new byte[capacity][];
    this.lengths = new int[capacity];
    this.timestamps = new long[capacity];
    this.held = new boolean[capacity];
  }

  void push(int seq, long timestamp, byte[] buf, int off, int len) {
    if (!started) {
      restartAt(seq);
    }
    int delta = RtpHeader.sequenceDelta(seq, nextSeq);
    if (delta <= -RESYNC_DISTANCE || delta >= RESYNC_DISTANCE) {
      flush();
      restartAt(seq);
      resyncs++;
      delta = 0;
    }
    if (delta < 0) {
      boolean wasDelivered = -delta <= HISTORY_BITS && (history & (1L << (-delta - 1))) != 0;
      if (wasDelivered) {
        duplicates++;
      } else {
        late++;
      }
      return;
    }
    while (RtpHeader.sequenceDelta(seq, nextSeq) > depth) {
      giveUpOrDeliverNext(); // too far ahead to wait for what is missing
    }
    if (seq == nextSeq) {
      deliver(seq, timestamp, buf, off, len);
      drainInOrder();
      return;
    }
    int slot = seq & mask;
    if (held[slot]) {
      duplicates++;
      return;
    }
    hold(slot, timestamp, buf, off, len);
    while (heldCount >= depth && heldCount > 0) {
      giveUpOrDeliverNext();
      drainInOrder();
    }
  }

  /** Passes on every held packet in order (lost gaps between them are counted) and forgets the stream. */
  void reset() {
    flush();
    started = false;
  }

  long delivered() {
    return delivered;
  }

  long lost() {
    return lost;
  }

  long late() {
    return late;
  }

  long duplicates() {
    return duplicates;
  }

  long resyncs() {
    return resyncs;
  }

  private void restartAt(int seq) {
    started = true;
    nextSeq = seq;
    history = 0;
  }

  private void flush() {
    while (heldCount > 0) {
      giveUpOrDeliverNext();
      drainInOrder();
    }
  }

  private void hold(int slot, long timestamp, byte[] buf, int off, int len) {
    if (payloads[slot] == null) {
      payloads[slot] = new byte[MAX_PAYLOAD_BYTES]; // once per slot, then reused
    }
    int length = Math.min(len, MAX_PAYLOAD_BYTES);
    System.arraycopy(buf, off, payloads[slot], 0, length);
    lengths[slot] = length;
    timestamps[slot] = timestamp;
    held[slot] = true;
    heldCount++;
  }

  private void giveUpOrDeliverNext() {
    int slot = nextSeq & mask;
    if (held[slot]) {
      held[slot] = false;
      heldCount--;
      deliver(nextSeq, timestamps[slot], payloads[slot], 0, lengths[slot]);
    } else {
      lost++;
      advance(false);
    }
  }

  private void drainInOrder() {
    while (heldCount > 0) {
      int slot = nextSeq & mask;
      if (!held[slot]) {
        return;
      }
      held[slot] = false;
      heldCount--;
      deliver(nextSeq, timestamps[slot], payloads[slot], 0, lengths[slot]);
    }
  }

  private void deliver(int seq, long timestamp, byte[] buf, int off, int len) {
    advance(true);
    delivered++;
    output.onPacket(seq, timestamp, buf, off, len);
  }

  private void advance(boolean wasDelivered) {
    history = (history << 1) | (wasDelivered ? 1 : 0);
    nextSeq = (nextSeq + 1) & 0xFFFF;
  }
}
