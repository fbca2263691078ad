package dev.wavoice.audio;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one pacer for all calls: a single high-priority platform thread that ticks every 20 ms on a
 * monotonic clock and, on each tick, has every registered call send exactly one frame (its next queued
 * frame, or silence). OpenAI delivers audio faster than real time; the pacer turns it into a steady
 * stream, and its silence keeps media flowing (WhatsApp hangs up after 20 s without media). A late
 * wake-up never causes a burst: see {@link TickSchedule}. One call's failure is counted and the tick
 * goes on to the next call.
 *
 * <p>Tests construct it with their own {@link MonotonicClock} and drive it by hand with
 * {@link #tick()} or {@link #runOnce()}, without starting the thread.
 */
@ApplicationScoped
public class Pacer {

  private static final Logger LOG = Logger.getLogger(Pacer.class.getName());
  public static final long FRAME_NANOS = AudioCodec.FRAME_MS * 1_000_000L;
  private static final PacedStream[] NONE = new PacedStream[0];

  private MonotonicClock clock;
  private TickSchedule schedule;
  private final Object registry = new Object();
  private volatile PacedStream[] streams = NONE;
  private volatile LongConsumer tickObserver;
  private volatile boolean running;
  private volatile long streamFailures;
  private Thread thread;

  /** For the CDI proxy only. */
  protected Pacer() {}

  @Inject
  public Pacer(MonotonicClock clock) {
    this.clock = clock;
    this.schedule = new TickSchedule(FRAME_NANOS);
  }

  /** Starts the pacer thread (the container does this; tests tick by hand instead). */
  @PostConstruct
  public void start() {
    synchronized (registry) {
      if (thread != null) {
        return;
      }
      running = true;
      thread = Thread.ofPlatform().name("wavoice-pacer").daemon(true).priority(Thread.MAX_PRIORITY).unstarted(this::loop);
      thread.start();
    }
  }

  @PreDestroy
  public void stop() {
    Thread t;
    synchronized (registry) {
      running = false;
      t = thread;
      thread = null;
    }
    if (t != null) {
      t.interrupt();
      try {
        t.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  public void register(PacedStream stream) {
    synchronized (registry) {
      PacedStream[] next = Arrays.copyOf(streams, streams.length + 1);
      next[next.length - 1] = stream;
      streams = next;
      if (thread != null) {
        LockSupport.unpark(thread);
      }
    }
  }

  public void unregister(PacedStream stream) {
    synchronized (registry) {
      PacedStream[] current = streams;
      for (int i = 0; i < current.length; i++) {
        if (current[i] == stream) {
          PacedStream[] next = new PacedStream[current.length - 1];
          System.arraycopy(current, 0, next, 0, i);
          System.arraycopy(current, i + 1, next, i, current.length - i - 1);
          streams = next;
          return;
        }
      }
    }
  }

  /** Benchmarks: sees the clock reading at the start of every tick of the thread. */
  public void observeTicks(LongConsumer observer) {
    this.tickObserver = observer;
  }

  /** One tick now: every registered stream sends one frame. */
  public void tick() {
    tick(clock.nanoTime());
  }

  /**
   * One turn of the pacer thread's loop: waits for the next grid point on the clock, records the
   * lateness, and ticks. With a test clock, "waiting" is whatever the test clock does.
   */
  public void runOnce() throws InterruptedException {
    clock.parkUntil(schedule.deadline());
    long now = clock.nanoTime();
    schedule.onWake(now);
    LongConsumer observer = tickObserver;
    if (observer != null) {
      observer.accept(now);
    }
    tick(now);
  }

  /** Starts the tick grid at the clock's present reading (the next {@link #runOnce()} ticks at once). */
  public void restartGrid() {
    schedule.restart(clock.nanoTime());
  }

  public PacerStats stats() {
    return new PacerStats(streams.length, schedule.ticks(), schedule.skipped(),
        schedule.latenessQuantileNanos(0.50) / 1000, schedule.latenessQuantileNanos(0.99) / 1000,
        schedule.maxLatenessNanos() / 1000, streamFailures);
  }

  private void tick(long nowNanos) {
    PacedStream[] current = streams;
    for (PacedStream stream : current) {
      try {
        stream.sendFrame(nowNanos);
      } catch (RuntimeException e) {
        if (streamFailures++ == 0) {
          LOG.log(Level.WARNING, "a call failed to send its frame (further failures are only counted)", e);
        }
      }
    }
  }

  private void loop() {
    boolean idle = true;
    while (running) {
      try {
        if (streams.length == 0) {
          idle = true;
          LockSupport.park(this); // no calls: no ticks until one registers
          Thread.interrupted(); // stop() sets running before interrupting; otherwise a stray interrupt
          continue;
        }
        if (idle) {
          idle = false;
          restartGrid();
        }
        runOnce();
      } catch (InterruptedException e) {
        if (!running) {
          return;
        }
      } catch (RuntimeException e) {
        LOG.log(Level.SEVERE, "pacer tick failed; continuing", e);
      }
    }
  }
}
