package dev.wavoice.audio;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The bridge's way to play audio on a call. It takes OpenAI's output audio in deltas of any size
 * ({@code audio/pcmu} bytes in PCMU mode, {@code audio/pcm} 24 kHz bytes in Opus mode), cuts it into
 * exact 20 ms frames (the remainder waits for the next delta; the last partial frame of an item is
 * padded with silence) and queues them for the pacer, which sends one per tick. It keeps per item how
 * much was received and how much went on the wire, so barge-in can truncate at the right point.
 *
 * <p>Thread-safe; meant to be driven by one thread (the bridge's event thread). PCMU frames are the
 * payload as they are and are queued ready; Opus-mode frames are queued raw and encoded shortly before
 * their turn by {@link EncodeAhead} on the encoder threads. Never on the pacer.
 */
public final class OutboundAudio {

  /** How many interrupted items are remembered to drop their late deltas. */
  private static final int REMEMBERED_INTERRUPTIONS = 16;

  private final OutboundFrameQueue queue;
  private final OutboundEncoder encoder;
  /** Encodes raw frames ahead of the pacer; null when frames are encoded as they are queued (PCMU). */
  private final EncodeAhead ahead;
  private final FrameSplitter splitter;
  private final byte silence;
  private final int bytesPerMs;
  private final byte[] payload;
  private final ArrayDeque<String> interrupted = new ArrayDeque<>();
  private PlaybackItem current;

  // written under this object's monitor; volatile so stats readers see them
  private volatile long framesQueued;
  private volatile long overflowFrames;
  private volatile long droppedLateBytes;
  private volatile long flushes;

  OutboundAudio(AudioCodec codec, OutboundFrameQueue queue, OutboundEncoder encoder, EncodeAhead ahead) {
    this.queue = queue;
    this.encoder = encoder;
    this.ahead = ahead;
    this.silence = AudioFormats.bridgeSilence(codec);
    this.bytesPerMs = AudioFormats.bridgeBytesPerMs(codec);
    this.payload = new byte[encoder.maxPayloadBytes()];
    this.splitter = new FrameSplitter(AudioFormats.bridgeFrameBytes(codec), this::queueFrame);
  }

  /**
   * Adds a delta of item {@code itemId}. A new item id ends the previous item (its last partial frame
   * is padded). Deltas of an item interrupted by {@link #flush()} are dropped.
   */
  public synchronized void enqueue(String itemId, int contentIndex, byte[] audio, int off, int len) {
    Objects.requireNonNull(itemId, "itemId");
    Objects.checkFromIndexSize(off, len, audio.length);
    if (interrupted.contains(itemId)) {
      droppedLateBytes += len;
      return;
    }
    if (current == null || !current.itemId.equals(itemId) || current.contentIndex != contentIndex) {
      finishCurrent();
      current = new PlaybackItem(itemId, contentIndex, bytesPerMs);
    }
    queue.addReceived(current, len);
    splitter.write(audio, off, len);
  }

  public void enqueue(String itemId, int contentIndex, byte[] audio) {
    enqueue(itemId, contentIndex, audio, 0, audio.length);
  }

  /** All audio of the item has arrived ({@code response.output_audio.done}): pads and queues its last partial frame. */
  public synchronized void endItem(String itemId) {
    if (current != null && current.itemId.equals(itemId)) {
      finishCurrent();
    }
  }

  /**
   * Barge-in: drops all queued audio at once (the next tick sends silence) and returns where to
   * truncate the item that was playing, if one was partly played. Nothing is returned when nothing was
   * playing, when the item had not started, or when it had been sent completely. Later deltas of the
   * interrupted items are dropped.
   */
  public synchronized Optional<Truncation> flush() {
    flushes++;
    Optional<Truncation> truncation = queue.clear();
    splitter.reset();
    if (ahead == null) {
      encoder.reset(); // else the encoder thread resets it before the next frame
    }
    truncation.ifPresent(t -> remember(t.itemId()));
    if (current != null) {
      remember(current.itemId);
      current = null;
    }
    return truncation;
  }

  /** Who is told when an item's audio starts and finishes on the wire (one observer; null: nobody). */
  public void observe(PlaybackObserver observer) {
    queue.observe(observer);
  }

  /** Who is told, on the pacer thread, what each tick sent (e.g. a call recorder; null: nobody). */
  public void tap(SentAudioTap tap) {
    queue.tap(tap);
  }

  /** The item on the wire now, if one is partly played. */
  public Optional<PlaybackSnapshot> playing() {
    return queue.playing();
  }

  /** Audio waiting for the wire, in ms (queued frames plus a partial frame). */
  public synchronized long queuedMs() {
    return queue.size() * (long) AudioCodec.FRAME_MS + splitter.pending() / bytesPerMs;
  }

  /**
   * Completes once everything queued so far has been sent (call {@link #endItem} first so the last
   * partial frame is queued), or was flushed, or the call closed. Completes on another thread.
   */
  public CompletableFuture<Void> drained() {
    return queue.drained();
  }

  OutboundStats stats(RtpSender sender) {
    return new OutboundStats(framesQueued, overflowFrames, droppedLateBytes / bytesPerMs, flushes,
        sender.audioFramesSent(), sender.silenceFramesSent(), sender.sendFailures(), queue.size(), queue.encodeLateTicks());
  }

  private void finishCurrent() {
    if (current == null) {
      return;
    }
    splitter.finish(silence);
    queue.markEnded(current);
    current = null;
  }

  private void queueFrame(byte[] frame, int off, int len) {
    boolean queued;
    if (ahead == null) {
      queued = queue.offer(current, payload, 0, encoder.encode(frame, off, payload));
    } else {
      queued = queue.offerRaw(current, frame, off, len);
      if (queued) {
        ahead.request();
      }
    }
    if (queued) {
      framesQueued++;
    } else {
      overflowFrames++;
    }
  }

  private void remember(String itemId) {
    if (!interrupted.contains(itemId)) {
      if (interrupted.size() == REMEMBERED_INTERRUPTIONS) {
        interrupted.removeFirst();
      }
      interrupted.addLast(itemId);
    }
  }
}
