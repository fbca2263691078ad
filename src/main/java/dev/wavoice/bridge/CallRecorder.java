package dev.wavoice.bridge;

import dev.wavoice.CallId;
import dev.wavoice.audio.AudioCodec;
import dev.wavoice.audio.AudioFormats;
import dev.wavoice.audio.MuLaw;
import dev.wavoice.audio.Pcm16;
import dev.wavoice.audio.SentAudioTap;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Records one call, both sides in time, into one Ogg/Opus file: the caller on the left channel (the
 * audio plane's frames, as they go to OpenAI) and the agent on the right (the frames the pacer actually
 * sent, so what a barge-in flushed is not in it).
 *
 * <p>The hot paths only hand frames over: the RTP receive thread ({@link #caller}) and the pacer
 * ({@link #sent}, {@link #silence}) copy a frame into a slot taken from a fixed pool and put it on a
 * bounded queue — no I/O, no allocation, no waiting, and no wake-up: the writer, a thread of its own,
 * looks at the queue every 100 ms, then pairs the frames, encodes and writes. When the pool is empty
 * (the writer fell behind) the frame is dropped and counted.
 * The pacer's ticks are the recording's clock: each tick pairs the bot's frame (or silence) with the next
 * caller frame; caller frames that run ahead of the ticks by more than {@value #MAX_CALLER_AHEAD} frames
 * are written against silence, so none is lost and the two sides stay within 200 ms.
 *
 * <p>The file is written as {@code <name>.part} and renamed when complete. A recorder that cannot
 * write (directory missing and not creatable, disk full, …) logs it, discards what it had, reports the
 * problem from {@link #close} and keeps draining its queue: the call never notices.
 */
final class CallRecorder implements SentAudioTap {

  private static final Logger LOG = Logger.getLogger(CallRecorder.class.getName());

  /** Pool size: two sides of 20 ms frames, so about 1.5 s of both before frames are dropped. */
  static final int POOL_FRAMES = 150;
  static final int MAX_CALLER_AHEAD = 10;
  /** How long the writer rests when its queue is empty: 5 frames of each side, well within the pool. */
  private static final long IDLE_NANOS = 100_000_000;
  /**
   * Stereo bitrates (about 360 and 480 kB per minute). Lower rates let the encoder narrow the stereo
   * image: at 24 kbit/s in voice mode the agent's tone came out stronger on the caller's channel than the
   * caller's own (seen in
   * {@code CallRecordingTest}).
   */
  static final int NARROWBAND_BITRATE = 48_000;
  static final int WIDEBAND_BITRATE = 64_000;

  /** What the recorder left: the file (null when none), and what went wrong (null when nothing). */
  record Outcome(Path file, String problem, long frames, long droppedFrames) {
    static final Outcome NONE = new Outcome(null, null, 0, 0);
  }

  private enum Kind { CALLER, BOT, SILENCE }

  private static final class Slot {
    final byte[] bytes;
    int length;
    Kind kind;

    Slot(int capacity) {
      bytes = new byte[capacity];
    }
  }

  private final CallId callId;
  private final AudioCodec codec;
  private final Path file;
  private final Path part;
  private final BridgeMetrics metrics;
  private final ArrayBlockingQueue<Slot> free;
  private final ArrayBlockingQueue<Slot> full;
  private final Slot end = new Slot(0);
  private final AtomicLong dropped = new AtomicLong();
  private final Thread writerThread;
  private final int frameSamples;
  // the writer thread's own
  private final short[][] callerAhead = new short[MAX_CALLER_AHEAD + 1][];
  private int aheadHead;
  private int aheadCount;
  private final short[] bot;
  private final short[] stereo;
  private OggOpusWriter writer;
  private volatile String problem;
  private volatile long frames;

  CallRecorder(CallId callId, AudioCodec codec, Path file, BridgeMetrics metrics, ThreadFactory threads) {
    this.callId = callId;
    this.codec = codec;
    this.file = file;
    this.part = file.resolveSibling(file.getFileName() + ".part");
    this.metrics = metrics;
    int frameBytes = AudioFormats.bridgeFrameBytes(codec);
    this.frameSamples = codec == AudioCodec.OPUS ? AudioFormats.PCM24_FRAME_SAMPLES : AudioFormats.PCMU_FRAME_BYTES;
    this.free = new ArrayBlockingQueue<>(POOL_FRAMES);
    this.full = new ArrayBlockingQueue<>(POOL_FRAMES + 1);
    for (int i = 0; i < POOL_FRAMES; i++) {
      free.add(new Slot(frameBytes));
    }
    for (int i = 0; i < callerAhead.length; i++) {
      callerAhead[i] = new short[frameSamples];
    }
    this.bot = new short[frameSamples];
    this.stereo = new short[frameSamples * 2];
    this.writerThread = threads.newThread(this::run);
    writerThread.start();
  }

  // ---- the hot paths: hand over and return

  /** A caller frame (RTP receive thread), in the bridge's format. */
  void caller(byte[] frame, int off, int len) {
    handOver(Kind.CALLER, frame, off, len);
  }

  @Override
  public void sent(byte[] frame, int off, int len) {
    handOver(Kind.BOT, frame, off, len);
  }

  @Override
  public void silence() {
    handOver(Kind.SILENCE, null, 0, 0);
  }

  private void handOver(Kind kind, byte[] frame, int off, int len) {
    Slot slot = free.poll();
    if (slot == null) {
      dropped.incrementAndGet();
      return;
    }
    slot.kind = kind;
    slot.length = Math.min(len, slot.bytes.length);
    if (frame != null) {
      System.arraycopy(frame, off, slot.bytes, 0, slot.length);
    }
    full.offer(slot);
  }

  /**
   * Ends the recording: what was handed over is written, the file completed and renamed. Waits at most
   * {@code wait} for the writer (normally milliseconds); call after the audio has stopped.
   */
  Outcome close(Duration wait) {
    full.offer(end);
    LockSupport.unpark(writerThread); // the end of the call need not wait out the writer's rest
    try {
      if (!writerThread.join(wait)) {
        // the writer's own state is left alone: it finishes (or fails) on its own later
        if (problem == null) {
          problem = "the recording was not finished within " + wait.toMillis() + " ms";
          LOG.warning(() -> "call " + callId + ": " + problem);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long lost = dropped.get();
    if (lost > 0) {
      metrics.recordingFramesDropped(lost);
      LOG.warning(() -> "call " + callId + ": the recorder fell behind; " + lost + " frames were not recorded");
    }
    String why = problem;
    metrics.recording(why == null ? "ok" : "failed");
    return new Outcome(why == null ? file : null, why, frames, lost);
  }

  // ---- the writer thread

  private void run() {
    try {
      Files.createDirectories(file.getParent());
      OutputStream out = new BufferedOutputStream(Files.newOutputStream(part), 16 * 1024);
      try {
        writer = new OggOpusWriter(out, codec == AudioCodec.OPUS ? AudioFormats.PCM24_SAMPLE_RATE : 8_000, 2,
            codec == AudioCodec.OPUS ? WIDEBAND_BITRATE : NARROWBAND_BITRATE);
      } catch (IOException | RuntimeException e) {
        out.close();
        throw e;
      }
    } catch (IOException | RuntimeException e) {
      fail("the recording could not be started: " + e, e);
    }
    while (true) {
      Slot slot = full.poll();
      if (slot == null) {
        // polled, not taken: a producer never has to wake this thread (waking a virtual thread allocates
        // inside the JDK, on the pacer's and the receive thread's time); a few frames wait meanwhile
        LockSupport.parkNanos(IDLE_NANOS);
        if (Thread.interrupted()) {
          fail("the recorder was interrupted", null);
          return;
        }
        continue;
      }
      if (slot == end) {
        break;
      }
      if (writer != null) {
        try {
          write(slot);
        } catch (IOException | RuntimeException e) {
          fail("the recording failed: " + e, e);
        }
      }
      free.offer(slot);
    }
    finish();
  }

  private void write(Slot slot) throws IOException {
    switch (slot.kind) {
      case CALLER -> {
        decode(slot, callerAhead[(aheadHead + aheadCount) % callerAhead.length]);
        aheadCount++;
        if (aheadCount > MAX_CALLER_AHEAD) {
          Arrays.fill(bot, (short) 0);
          emit(); // the caller ran ahead of the ticks: its oldest frame goes against silence
        }
      }
      case BOT -> {
        decode(slot, bot);
        emit();
      }
      case SILENCE -> {
        Arrays.fill(bot, (short) 0);
        emit();
      }
    }
  }

  private void finish() {
    if (writer == null) {
      return;
    }
    try {
      Arrays.fill(bot, (short) 0);
      while (aheadCount > 0) {
        emit();
      }
      writer.close();
      writer = null;
      Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      fail("the recording could not be completed: " + e, e);
    }
  }

  /** One stereo frame: the oldest caller frame waiting (or silence) left, {@link #bot} right. */
  private void emit() throws IOException {
    short[] caller = null;
    if (aheadCount > 0) {
      caller = callerAhead[aheadHead];
      aheadHead = (aheadHead + 1) % callerAhead.length;
      aheadCount--;
    }
    for (int i = 0; i < frameSamples; i++) {
      stereo[2 * i] = caller == null ? 0 : caller[i];
      stereo[2 * i + 1] = bot[i];
    }
    writer.write(stereo);
    frames = writer.frames();
  }

  private void decode(Slot slot, short[] into) {
    if (codec == AudioCodec.OPUS) {
      int samples = Math.min(slot.length / Pcm16.BYTES_PER_SAMPLE, into.length);
      Pcm16.toSamples(slot.bytes, 0, into, 0, samples);
      Arrays.fill(into, samples, into.length, (short) 0);
    } else {
      int samples = Math.min(slot.length, into.length);
      MuLaw.decode(slot.bytes, 0, into, 0, samples);
      Arrays.fill(into, samples, into.length, (short) 0);
    }
  }

  /** Once: logs and counts; the partial file is discarded and the queue keeps draining. */
  private void fail(String why, Throwable cause) {
    if (problem != null) {
      return;
    }
    problem = why;
    LOG.log(Level.WARNING, "call " + callId + ": " + why + "; the call goes on unrecorded", cause);
    OggOpusWriter w = writer;
    writer = null;
    if (w != null) {
      try {
        w.close();
      } catch (IOException | RuntimeException ignored) {
        // the file is discarded anyway
      }
    }
    try {
      Files.deleteIfExists(part);
    } catch (IOException | RuntimeException ignored) {
      // nothing more to do: the record says the recording failed
    }
  }
}
