package dev.wavoice.whatsapp;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Priority;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * The threads that handle the webhook's events once the request has been answered. A plain pool, not a
 * managed executor: a managed executor captures and restores the application's context (class loader,
 * naming, security) for every task, on the submitting thread too, and that was most of wavoice's own
 * cost on the webhook's request thread. These threads come from the application's managed thread
 * factory, so each carries that context from its start, once. Tasks start in the order they were handed
 * over (one FIFO queue) and run side by side, as on the managed executor before; what changes a call
 * is ordered by the call's own task queue. A full queue refuses at once, so the webhook answers 500
 * and Meta redelivers.
 */
@ApplicationScoped
public class WebhookWork implements Executor {

  /**
   * Events are short (a call's set-up runs on the call's own tasks); a few may wait, e.g. an outgoing
   * call's answer for its call id, so more than one per core.
   */
  static final int THREADS = 8;
  /** A backlog this long means the threads are stuck: refuse and let Meta redeliver rather than queue more. */
  static final int QUEUE = 4096;
  /** How long, at shutdown, the events already acknowledged get to be handled (within the call layer's own grace). */
  static final Duration DRAIN = Duration.ofSeconds(5);
  private static final Logger LOG = Logger.getLogger(WebhookWork.class.getName());

  @Resource(lookup = "java:comp/DefaultManagedThreadFactory") private ManagedThreadFactory threads;
  private ThreadPoolExecutor pool;

  @PostConstruct
  void start() {
    start(threads);
  }

  /** Starts the pool on threads from {@code factory}, named for thread dumps. */
  void start(ThreadFactory factory) {
    AtomicInteger count = new AtomicInteger();
    ThreadFactory named = task -> {
      Thread thread = factory.newThread(task);
      thread.setName("wavoice-webhook-" + count.incrementAndGet());
      return thread;
    };
    pool = new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE),
        named, new ThreadPoolExecutor.AbortPolicy());
    // fixed by design: all started now, so the app's thread count is flat from the first webhook on
    pool.prestartAllCoreThreads();
  }

  /** Starts the threads at deploy rather than on the first webhook. */
  void prestart(@Observes @Initialized(ApplicationScoped.class) Object started) {
    pool.getPoolSize();
  }

  /**
   * Before the calls are ended for shutdown (a lower priority than the call layer's observer) and before
   * any bean is destroyed: deliveries from now on are refused (500, Meta redelivers them to whoever
   * runs next), and those already answered 200 are handled, for up to {@link #DRAIN}. What is still
   * queued then is dropped and logged: Meta will not send it again.
   */
  void drain(@Observes @Priority(Interceptor.Priority.APPLICATION) @BeforeDestroyed(ApplicationScoped.class) Object stopping) {
    drain(DRAIN);
  }

  /** Refuses new work and lets what was taken finish within {@code limit}; returns how many were dropped. */
  int drain(Duration limit) {
    pool.shutdown();
    try {
      if (pool.awaitTermination(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        return 0;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    int dropped = pool.shutdownNow().size();
    if (dropped > 0) {
      LOG.warning(() -> dropped + " webhook events already acknowledged were not handled within " + limit
          + " of shutdown: dropped");
    }
    return dropped;
  }

  @PreDestroy
  void stop() {
    pool.shutdownNow();
  }

  /** Runs the task on a webhook thread; throws {@link RejectedExecutionException} when none will take it. */
  @Override
  public void execute(Runnable task) {
    pool.execute(task);
  }
}
