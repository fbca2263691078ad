package dev.wavoice;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorDefinition;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorDefinition;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.TimeUnit;

/**
 * The application's own executors, defined here and looked up by name ({@code @Resource(lookup = …)}).
 * Payara's default managed executor has no core threads and an unbounded queue, so it runs one task at
 * a time (its default scheduled executor likewise): every call's set-up (blocking Kurento, Graph and
 * database requests), every webhook event and every console write would wait for the one before.
 * Payara gives a defined executor {@code maxAsync} threads (core = maximum) before tasks queue.
 *
 * <p>Platform threads, not virtual ones: call work blocks inside monitors (kurento-client, JDBC, our
 * own), and on JDK 25 a virtual thread that meets a contended monitor with a pinned frame below it
 * (class initialisation, Payara's context set-up) holds its carrier. A cold start with ten calls at once
 * recorded 30–40 ms pins on both of a 2-core machine's two carriers; should both wait for an owner that
 * unmounted while blocked, every virtual thread stops (a load run's start-up once hung so, silently).
 */
@ManagedExecutorDefinition(name = AppExecutors.WORK, maxAsync = AppExecutors.WORK_THREADS)
@ManagedScheduledExecutorDefinition(name = AppExecutors.TIMERS, maxAsync = AppExecutors.TIMER_THREADS)
@ApplicationScoped
public class AppExecutors {

  /** Calls, webhook events, the doctor's checks, console writes. */
  public static final String WORK = "java:app/concurrent/wavoice-work";
  /** Timers of calls, Kurento links, the doctor and the console. */
  public static final String TIMERS = "java:app/concurrent/wavoice-timers";
  /** Tasks that may block at once: a call's tasks run one at a time, so this many set-ups in flight before others queue. */
  static final int WORK_THREADS = 64;
  /** Timer tasks are short (most hand off to a call's tasks); a few threads cover Kurento's blocking reconnects. */
  static final int TIMER_THREADS = 4;

  @Resource(lookup = WORK) private ManagedExecutorService work;
  @Resource(lookup = TIMERS) private ManagedScheduledExecutorService timers;

  /**
   * Starts every thread of both pools now (each task given to a pool below its size starts a thread):
   * they are fixed by design, and the app's thread count is then flat from the first call on, so a leak
   * shows as growth.
   */
  void prestart(@Observes @Initialized(ApplicationScoped.class) Object started) {
    for (int i = 0; i < WORK_THREADS; i++) {
      work.execute(() -> { });
    }
    for (int i = 0; i < TIMER_THREADS; i++) {
      timers.schedule(() -> { }, 0, TimeUnit.MILLISECONDS);
    }
  }
}
