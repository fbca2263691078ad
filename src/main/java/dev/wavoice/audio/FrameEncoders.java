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

  private final ThreadPoolExecutor pool;

  FrameEncoders(int threads) {
    pool = new ThreadPoolExecutor(threads, threads, IDLE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        Thread.ofPlatform().name("wavoice-encoder").daemon(true).factory());
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
