package dev.wavoice.audio;

import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The frames of one call waiting for the wire, each with the tag it was queued under, and what of
 * each tag reached the wire. The producer (the bridge's thread) offers and clears; the pacer polls
 * exactly one frame per tick. Slots are allocated once, on first use, and then reused, so a warm queue
 * allocates nothing. Bounded: a full queue refuses frames (the caller counts them).
 *
 * <p>A frame is offered either encoded (PCMU: the payload is the frame) or raw (Opus mode: OpenAI's
 * PCM), in which case {@link EncodeAhead} encodes it shortly before its turn: the frames from the head
 * on are encoded in order, at most a few ahead of the pacer, so audio that a barge-in flushes was never
 * encoded. A head frame that is not encoded yet at its tick is not skipped: the tick sends silence and
 * counts it ({@link #encodeLateTicks()}).
 *
 * <p>Guarded by its own monitor, held only to copy one frame: the pacer never waits on encoding.
 */
final class OutboundFrameQueue {

  /** {@link #poll} found a frame whose payload is not encoded yet. */
  static final int NOT_ENCODED = -2;

  /** A raw frame handed to the encoder: its bytes, its number in the queue and the flush generation. */
  static final class RawFrame {
    final byte[] bytes;
    int length;
    long number;
    long generation;

    RawFrame(int capacity) {
      this.bytes = new byte[capacity];
    }
  }

  private final int capacity;
  private final int maxFrameBytes;
  private final byte[][] frames;
  private final byte[][] raw;
  private final int[] lengths;
  private final int[] rawLengths;
  private final PlaybackItem[] items;
  private int head;
  private int size;
  /** Frames from the head on whose payload is ready. */
  private int encoded;
  /** Frames ever offered, and the number of the frame at the head (frames get consecutive numbers). */
  private long offered;
  private long headNumber;
  private long generation;
  private PlaybackItem lastSent;
  private CompletableFuture<Void> drained;
  private volatile PlaybackObserver observer = PlaybackObserver.NONE;
  private volatile SentAudioTap tap = SentAudioTap.NONE;
  private volatile Runnable encodeMore = () -> {};
  private volatile long encodeLateTicks;
  // set by poll and read by announceSent, both on the pacer thread
  private String startedItem;
  private String finishedItem;
  private boolean emptied;
  private boolean roomToEncode;

  OutboundFrameQueue(int capacityFrames, int maxFrameBytes) {
    if (capacityFrames < 1) {
      throw new IllegalArgumentException("queue capacity must be at least one frame");
    }
    this.capacity = capacityFrames;
    this.maxFrameBytes = maxFrameBytes;
    this.frames = new byte[capacityFrames][];
    this.raw = new byte[capacityFrames][];
    this.lengths = new int[capacityFrames];
    this.rawLengths = new int[capacityFrames];
    this.items = new PlaybackItem[capacityFrames];
  }

  synchronized int size() {
    return size;
  }

  void observe(PlaybackObserver playbackObserver) {
    this.observer = playbackObserver == null ? PlaybackObserver.NONE : playbackObserver;
  }

  void markEnded(PlaybackItem item) {
    boolean finishedNow;
    synchronized (this) {
      finishedNow = !item.ended && item.sentFrames > 0 && item.queuedFrames == 0 && !item.flushed;
      item.ended = true;
    }
    if (finishedNow) {
      observer.finished(item.tag); // everything had gone out before the item ended
    }
  }

  void tap(SentAudioTap sentAudioTap) {
    this.tap = sentAudioTap == null ? SentAudioTap.NONE : sentAudioTap;
  }

  /** Who encodes raw frames when there is room ahead of the pacer (called on the pacer thread, must not block). */
  void encodeWith(Runnable encodeMoreFrames) {
    this.encodeMore = encodeMoreFrames;
  }

  /** Queues a copy of one encoded frame (its payload); false when the queue is full. */
  synchronized boolean offer(PlaybackItem item, byte[] frame, int off, int len) {
    if (len > maxFrameBytes) {
      throw new IllegalArgumentException("frame of " + len + " bytes exceeds " + maxFrameBytes);
    }
    if (encoded < size) {
      throw new IllegalStateException("an encoded frame after raw ones");
    }
    int slot = take(item);
    if (slot < 0) {
      return false;
    }
    if (frames[slot] == null) {
      frames[slot] = new byte[maxFrameBytes];
    }
    System.arraycopy(frame, off, frames[slot], 0, len);
    lengths[slot] = len;
    encoded++;
    return true;
  }

  /** Queues a copy of one raw frame, to be encoded before its turn; false when the queue is full. */
  synchronized boolean offerRaw(PlaybackItem item, byte[] frame, int off, int len) {
    int slot = take(item);
    if (slot < 0) {
      return false;
    }
    if (raw[slot] == null || raw[slot].length < len) {
      raw[slot] = new byte[len];
    }
    System.arraycopy(frame, off, raw[slot], 0, len);
    rawLengths[slot] = len;
    return true;
  }

  private int take(PlaybackItem item) {
    if (size == capacity) {
      return -1;
    }
    int slot = (head + size) % capacity;
    items[slot] = item;
    item.queuedFrames++;
    size++;
    offered++;
    return slot;
  }

  /**
   * The encoder: copies the next raw frame to encode into {@code into}, if there is one within
   * {@code lookahead} frames of the head; false when there is none.
   */
  synchronized boolean nextToEncode(RawFrame into, int lookahead) {
    if (encoded >= size || encoded >= lookahead) {
      return false;
    }
    int slot = (head + encoded) % capacity;
    System.arraycopy(raw[slot], 0, into.bytes, 0, rawLengths[slot]);
    into.length = rawLengths[slot];
    into.number = headNumber + encoded;
    into.generation = generation;
    return true;
  }

  /** True when the frame at the head is ready to send. */
  synchronized boolean hasEncodedHead() {
    return encoded > 0;
  }

  /** True when a raw frame within {@code lookahead} of the head waits to be encoded. */
  synchronized boolean hasRoomToEncode(int lookahead) {
    return encoded < size && encoded < lookahead;
  }

  /** The encoder: the payload of frame {@code number}; dropped if that frame was flushed meanwhile. */
  synchronized void encoded(long number, byte[] payload, int len) {
    if (number != headNumber + encoded || encoded >= size) {
      return; // flushed (or sent) while it was being encoded
    }
    if (len > maxFrameBytes) {
      throw new IllegalArgumentException("payload of " + len + " bytes exceeds " + maxFrameBytes);
    }
    int slot = (head + encoded) % capacity;
    if (frames[slot] == null) {
      frames[slot] = new byte[maxFrameBytes];
    }
    System.arraycopy(payload, 0, frames[slot], 0, len);
    lengths[slot] = len;
    encoded++;
  }

  /** Flushes so far: a frame of another generation than the last one encoded follows a flush. */
  synchronized long generation() {
    return generation;
  }

  /** Ticks that sent silence because the frame at the head was not encoded yet. */
  long encodeLateTicks() {
    return encodeLateTicks;
  }

  /**
   * Pacer: moves the oldest frame into {@code dst} at {@code dstOff} and counts it as sent; returns its
   * length, -1 when the queue is empty, or {@link #NOT_ENCODED} (the frame stays for the next tick).
   */
  synchronized int poll(byte[] dst, int dstOff) {
    if (size == 0) {
      tap.silence();
      return -1;
    }
    if (encoded == 0) {
      encodeLateTicks++;
      tap.silence();
      return NOT_ENCODED;
    }
    int len = lengths[head];
    System.arraycopy(frames[head], 0, dst, dstOff, len);
    // what the caller hears, before encoding: the raw frame in Opus mode, the µ-law payload in PCMU mode
    if (raw[head] != null) {
      tap.sent(raw[head], 0, rawLengths[head]);
    } else {
      tap.sent(frames[head], 0, len);
    }
    PlaybackItem item = items[head];
    items[head] = null;
    item.queuedFrames--;
    item.sentFrames++;
    if (item.sentFrames == 1) {
      startedItem = item.tag;
    }
    if (item.ended && item.queuedFrames == 0) {
      finishedItem = item.tag;
    }
    lastSent = item;
    head = (head + 1) % capacity;
    size--;
    encoded--;
    headNumber++;
    roomToEncode = encoded < size; // the pacer has made room ahead of it
    if (size == 0) {
      emptied = true; // drained() completes in announceSent, once this last frame has really been sent
    }
    return len;
  }

  /**
   * Pacer, after the frame from {@link #poll} went out: completes {@link #drained()} if it was the last
   * one queued, and tells the observer if it began or completed an item (outside the monitor, so the
   * observer never holds up the bridge's thread).
   */
  void announceSent() {
    if (roomToEncode) {
      roomToEncode = false;
      encodeMore.run();
    }
    if (emptied) {
      emptied = false;
      synchronized (this) {
        if (size == 0) {
          completeDrained();
        }
      }
    }
    String started = startedItem;
    String finished = finishedItem;
    if (started == null && finished == null) {
      return;
    }
    startedItem = null;
    finishedItem = null;
    PlaybackObserver o = observer;
    if (started != null) {
      o.started(started);
    }
    if (finished != null) {
      o.finished(finished);
    }
  }

  /**
   * Drops every queued frame at once (barge-in) and returns what was cut short: the tag that was
   * playing, only when it was partly played, with the frames of it that went on the wire.
   */
  synchronized Optional<Playhead> clear() {
    Optional<Playhead> cut = Optional.empty();
    if (lastSent != null && lastSent.partlyPlayed()) {
      cut = Optional.of(new Playhead(lastSent.tag, lastSent.sentFrames));
    }
    for (int i = 0; i < size; i++) {
      int slot = (head + i) % capacity;
      items[slot].queuedFrames--;
      items[slot].flushed = true;
      items[slot] = null;
    }
    Arrays.fill(lengths, 0);
    head = 0;
    size = 0;
    encoded = 0;
    headNumber = offered;
    generation++;
    lastSent = null;
    completeDrained();
    return cut;
  }

  /** The audio on the wire now, if some is partly played. */
  synchronized Optional<PlaybackSnapshot> playing() {
    return lastSent != null && lastSent.partlyPlayed() ? Optional.of(lastSent.snapshot()) : Optional.empty();
  }

  /** Completes when the queue is (or next becomes) empty. */
  synchronized CompletableFuture<Void> drained() {
    if (size == 0) {
      return CompletableFuture.completedFuture(null);
    }
    if (drained == null) {
      drained = new CompletableFuture<>();
    }
    return drained;
  }

  /** The call ended: nothing more will play. */
  synchronized void close() {
    completeDrained();
  }

  private void completeDrained() {
    if (drained != null) {
      CompletableFuture<Void> done = drained;
      drained = null;
      // off the pacer thread: whatever waits on it must not run on the pacer
      CompletableFuture.runAsync(() -> done.complete(null));
    }
  }
}
