package dev.wavoice.audio;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The threads that encode bot audio for all calls ({@link EncodeAhead}): one platform thread per core,
 * started when first needed and ended after a while without work (PCMU mode never starts them). Few
 * threads on purpose: encoding is pure CPU, and each call's encoder runs on whichever is free.
 */
final class FrameEncoders implements Executor, AutoCloseable {

  private static final long IDLE_SECONDS = 60;
  /**
   * Below the pacer ({@code MAX_PRIORITY}) and the RTP receive threads (normal): when the cores run short,
   * a frame encoded late costs one tick of silence for one call, a pacer or receive thread held up costs
   * every call its tick. Linux applies Java priorities only with {@code -XX:ThreadPriorityPolicy=1}
   * (lowering needs no privilege, raising the pacer needs CAP_SYS_NICE); otherwise this is a no-op.
   */
  static final int PRIORITY = Thread.MIN_PRIORITY;

  private final ThreadPoolExecutor pool;

  FrameEncoders(int threads) {
    pool = new ThreadPoolExecutor(threads, threads, IDLE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        Thread.ofPlatform().name("wavoice-encoder").daemon(true).priority(PRIORITY).factory());
    pool.allowCoreThreadTimeOut(true);
  }

  /** As many threads as the JVM has processors. */
  static FrameEncoders perCore() {
    return new FrameEncoders(Math.max(1, Runtime.getRuntime().availableProcessors()));
  }

  @Override
  public void execute(Runnable task) {
    pool.execute(task);
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
