package dev.wavoice.audio;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The bridge's way to play audio on a call. It takes OpenAI's output audio in deltas of any size
 * ({@code audio/pcmu} bytes in PCMU mode, {@code audio/pcm} 24 kHz bytes in Opus mode), cuts it into
 * exact 20 ms frames (the remainder waits for the next delta; the last partial frame of an item is
 * padded with silence) and queues them for the pacer, which sends one per tick. Audio is queued under
 * a tag of the caller's choosing (opaque here); per tag it counts the frames that went on the wire, so
 * a flush can tell how much of what was cut short had played.
 *
 * <p>Thread-safe; meant to be driven by one thread (the bridge's event thread). PCMU frames are the
 * payload as they are and are queued ready; Opus-mode frames are queued raw and encoded shortly before
 * their turn by {@link EncodeAhead} on the encoder threads. Never on the pacer.
 */
public final class OutboundAudio {

  private final OutboundFrameQueue queue;
  private final OutboundEncoder encoder;
  /** Encodes raw frames ahead of the pacer; null when frames are encoded as they are queued (PCMU). */
  private final EncodeAhead ahead;
  private final FrameSplitter splitter;
  private final byte silence;
  private final int bytesPerMs;
  private final byte[] payload;
  private PlaybackItem current;

  // written under this object's monitor; volatile so stats readers see them
  private volatile long framesQueued;
  private volatile long overflowFrames;
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

  /** Adds audio under {@code tag}. A new tag ends the previous one's audio (its last partial frame is padded). */
  public synchronized void enqueue(String tag, byte[] audio, int off, int len) {
    Objects.requireNonNull(tag, "tag");
    Objects.checkFromIndexSize(off, len, audio.length);
    if (current == null || !current.tag.equals(tag)) {
      finishCurrent();
      current = new PlaybackItem(tag);
    }
    splitter.write(audio, off, len);
  }

  public void enqueue(String tag, byte[] audio) {
    enqueue(tag, audio, 0, audio.length);
  }

  /** All audio of the tag has been queued: pads and queues its last partial frame. */
  public synchronized void end(String tag) {
    if (current != null && current.tag.equals(tag)) {
      finishCurrent();
    }
  }

  /**
   * Barge-in: drops all queued audio at once (the next tick sends silence) and returns what was cut
   * short: the tag that was partly played and its frames sent. Nothing is returned when nothing was
   * playing, when the tag's audio had not started, or when it had been sent completely.
   */
  public synchronized Optional<Playhead> flush() {
    flushes++;
    Optional<Playhead> cut = queue.clear();
    splitter.reset();
    if (ahead == null) {
      encoder.reset(); // else the encoder thread resets it before the next frame
    }
    current = null;
    return cut;
  }

  /** Who is told when a tag's audio starts and finishes on the wire (one observer; null: nobody). */
  public void observe(PlaybackObserver observer) {
    queue.observe(observer);
  }

  /** Who is told, on the pacer thread, what each tick sent (e.g. a call recorder; null: nobody). */
  public void tap(SentAudioTap tap) {
    queue.tap(tap);
  }

  /** The audio on the wire now, if some is partly played. */
  public Optional<PlaybackSnapshot> playing() {
    return queue.playing();
  }

  /** Audio waiting for the wire, in ms (queued frames plus a partial frame). */
  public synchronized long queuedMs() {
    return queue.size() * (long) AudioCodec.FRAME_MS + splitter.pending() / bytesPerMs;
  }

  /**
   * Completes once everything queued so far has been sent (call {@link #end} first so the last
   * partial frame is queued), or was flushed, or the call closed. Completes on another thread.
   */
  public CompletableFuture<Void> drained() {
    return queue.drained();
  }

  OutboundStats stats(RtpSender sender) {
    return new OutboundStats(framesQueued, overflowFrames, flushes,
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
}
