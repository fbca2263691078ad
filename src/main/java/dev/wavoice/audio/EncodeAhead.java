package dev.wavoice.audio;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Encodes one call's raw bot frames a few frames ahead of the pacer ({@link #LOOKAHEAD}), on the
 * shared encoder threads ({@link FrameEncoders}), rather than all of an answer on the WebSocket's
 * thread as it arrives. The codec work then follows the wire (one frame per call per tick, spread
 * evenly), it runs on as many threads as there are cores instead of one per call (concentus allocates
 * tens of KB per frame: on 30 threads at once a frame took 3 times the CPU, measured), and the frames a
 * barge-in flushes were never encoded.
 *
 * <p>{@link #request()} may come from any thread (the producer after queueing, the pacer after
 * sending); one run at a time per call, which encodes until the lookahead is full. The encoder's state
 * is touched only by that run: after a flush it starts afresh.
 */
final class EncodeAhead implements Runnable {

  /** Frames kept encoded ahead of the pacer: 60 ms. */
  static final int LOOKAHEAD = 3;

  private final OutboundFrameQueue queue;
  private final OutboundEncoder encoder;
  private final Executor encoders;
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final OutboundFrameQueue.RawFrame frame;
  private final byte[] payload;
  private long lastGeneration;

  EncodeAhead(OutboundFrameQueue queue, OutboundEncoder encoder, Executor encoders, int rawFrameBytes) {
    this.queue = queue;
    this.encoder = encoder;
    this.encoders = encoders;
    this.frame = new OutboundFrameQueue.RawFrame(rawFrameBytes);
    this.payload = new byte[encoder.maxPayloadBytes()];
  }

  /** Makes sure a run will look for frames to encode (at most one is scheduled at a time). */
  void request() {
    if (scheduled.compareAndSet(false, true)) {
      encoders.execute(this);
    }
  }

  @Override
  public void run() {
    while (true) {
      while (queue.nextToEncode(frame, LOOKAHEAD)) {
        if (frame.generation != lastGeneration) {
          encoder.reset(); // a flush came in between: do not predict from discarded audio
          lastGeneration = frame.generation;
        }
        int length = encoder.encode(frame.bytes, 0, payload);
        queue.encoded(frame.number, payload, length);
      }
      scheduled.set(false);
      // a request that came while this run was finishing found it scheduled: look once more
      if (!queue.hasRoomToEncode(LOOKAHEAD) || !scheduled.compareAndSet(false, true)) {
        return;
      }
    }
  }
}
