package dev.wavoice.whatsapp;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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

  @Resource(lookup = "java:comp/DefaultManagedThreadFactory") private ManagedThreadFactory threads;
  private ThreadPoolExecutor pool;

  @PostConstruct
  void start() {
    AtomicInteger count = new AtomicInteger();
    ThreadFactory named = task -> {
      Thread thread = threads.newThread(task);
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

  @PreDestroy
  void stop() {
    pool.shutdown();
  }

  /** Runs the task on a webhook thread; throws {@link RejectedExecutionException} when none will take it. */
  @Override
  public void execute(Runnable task) {
    pool.execute(task);
  }
}
