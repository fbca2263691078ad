package dev.wavoice.audio;

import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The frames of one call waiting for the wire, each tagged with the item it came from, and what of
 * each item reached the wire. The producer (the bridge's thread) offers and clears; the pacer polls
 * exactly one frame per tick. Slots are allocated once, on first use, and then reused, so a warm queue
 * allocates nothing. Bounded: a full queue refuses frames (the caller counts them).
 *
 * <p>Guarded by its own monitor, held only to copy one frame: the pacer never waits on encoding.
 */
final class OutboundFrameQueue {

  private final int capacity;
  private final int maxFrameBytes;
  private final byte[][] frames;
  private final int[] lengths;
  private final PlaybackItem[] items;
  private int head;
  private int size;
  private PlaybackItem lastSent;
  private CompletableFuture<Void> drained;
  private volatile PlaybackObserver observer = PlaybackObserver.NONE;
  // set by poll and read by announceSent, both on the pacer thread
  private String startedItem;
  private String finishedItem;
  private boolean emptied;

  OutboundFrameQueue(int capacityFrames, int maxFrameBytes) {
    if (capacityFrames < 1) {
      throw new IllegalArgumentException("queue capacity must be at least one frame");
    }
    this.capacity = capacityFrames;
    this.maxFrameBytes = maxFrameBytes;
    this.frames = new byte[capacityFrames][];
    this.lengths = new int[capacityFrames];
    this.items = new PlaybackItem[capacityFrames];
  }

  synchronized int size() {
    return size;
  }

  /** Counts audio received for {@code item} (before it is cut into frames). */
  synchronized void addReceived(PlaybackItem item, int bytes) {
    item.receivedBytes += bytes;
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
      observer.finished(item.itemId); // everything had gone out before the item ended
    }
  }

  /** Queues a copy of one frame; false when the queue is full. */
  synchronized boolean offer(PlaybackItem item, byte[] frame, int off, int len) {
    if (len > maxFrameBytes) {
      throw new IllegalArgumentException("frame of " + len + " bytes exceeds " + maxFrameBytes);
    }
    if (size == capacity) {
      return false;
    }
    int slot = (head + size) % capacity;
    if (frames[slot] == null) {
      frames[slot] = new byte[maxFrameBytes];
    }
    System.arraycopy(frame, off, frames[slot], 0, len);
    lengths[slot] = len;
    items[slot] = item;
    item.queuedFrames++;
    size++;
    return true;
  }

  /**
   * Pacer: moves the oldest frame into {@code dst} at {@code dstOff} and counts it as sent; returns its
   * length, or -1 when the queue is empty.
   */
  synchronized int poll(byte[] dst, int dstOff) {
    if (size == 0) {
      return -1;
    }
    int len = lengths[head];
    System.arraycopy(frames[head], 0, dst, dstOff, len);
    PlaybackItem item = items[head];
    items[head] = null;
    item.queuedFrames--;
    item.sentFrames++;
    if (item.sentFrames == 1) {
      startedItem = item.itemId;
    }
    if (item.ended && item.queuedFrames == 0) {
      finishedItem = item.itemId;
    }
    lastSent = item;
    head = (head + 1) % capacity;
    size--;
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
   * Drops every queued frame at once (barge-in) and returns where to truncate the item that was
   * playing: only when it was partly played, at the audio actually sent, clamped to what was received.
   */
  synchronized Optional<Truncation> clear() {
    Optional<Truncation> truncation = Optional.empty();
    if (lastSent != null && lastSent.partlyPlayed()) {
      truncation = Optional.of(new Truncation(lastSent.itemId, lastSent.contentIndex,
          Math.min(lastSent.sentMs(), lastSent.receivedMs())));
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
    lastSent = null;
    completeDrained();
    return truncation;
  }

  /** The item on the wire now, if one is partly played. */
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
