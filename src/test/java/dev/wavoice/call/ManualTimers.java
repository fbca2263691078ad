package dev.wavoice.call;

import dev.wavoice.testkit.MovableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Timers and a clock that move only when the test says so: {@link #advance} runs every task that falls
 * due on the way, in due order, on the test's thread. Tasks handed to {@link #execute} run at once.
 */
final class ManualTimers extends AbstractExecutorService implements ScheduledExecutorService {

  private final PriorityQueue<Task> due = new PriorityQueue<>(Comparator.comparingLong((Task t) -> t.atMs).thenComparingLong(t -> t.seq));
  private final Instant start;
  private final MovableClock clock;
  private long nowMs;
  private long seq;

  ManualTimers(Instant start) {
    this.start = start;
    this.clock = new MovableClock(start);
  }

  /** The clock these timers keep. */
  Clock clock() {
    return clock;
  }

  /** Moves time on by {@code by}, running what falls due. */
  void advance(Duration by) {
    long until = nowMs + by.toMillis();
    while (true) {
      Task next = due.peek();
      if (next == null || next.atMs > until) {
        break;
      }
      due.poll();
      nowMs = Math.max(nowMs, next.atMs);
      clock.set(start.plusMillis(nowMs));
      if (!next.cancelled) {
        if (next.periodMs > 0) {
          next.atMs += next.periodMs;
          due.add(next);
        } else {
          next.done = true;
        }
        next.command.run();
      }
    }
    nowMs = until;
    clock.set(start.plusMillis(nowMs));
  }

  /** Tasks still waiting to run (not cancelled). */
  int pending() {
    return (int) due.stream().filter(t -> !t.cancelled).count();
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return add(command, unit.toMillis(delay), 0);
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException("the call core schedules runnables only");
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
    return add(command, unit.toMillis(initialDelay), unit.toMillis(period));
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
    return add(command, unit.toMillis(initialDelay), unit.toMillis(delay));
  }

  @Override
  public void execute(Runnable command) {
    command.run();
  }

  private Task add(Runnable command, long delayMs, long periodMs) {
    Task task = new Task(command, nowMs + Math.max(0, delayMs), periodMs, seq++);
    due.add(task);
    return task;
  }

  @Override
  public void shutdown() {}

  @Override
  public List<Runnable> shutdownNow() {
    return new ArrayList<>();
  }

  @Override
  public boolean isShutdown() {
    return false;
  }

  @Override
  public boolean isTerminated() {
    return false;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return true;
  }

  private final class Task implements ScheduledFuture<Object> {
    final Runnable command;
    final long periodMs;
    final long seq;
    long atMs;
    boolean cancelled;
    boolean done;

    Task(Runnable command, long atMs, long periodMs, long seq) {
      this.command = command;
      this.atMs = atMs;
      this.periodMs = periodMs;
      this.seq = seq;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(atMs - nowMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
      return Long.compare(getDelay(TimeUnit.MILLISECONDS), other.getDelay(TimeUnit.MILLISECONDS));
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean was = !cancelled && !done;
      cancelled = true;
      return was;
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public boolean isDone() {
      return cancelled || done;
    }

    @Override
    public Object get() {
      return null;
    }

    @Override
    public Object get(long timeout, TimeUnit unit) {
      return null;
    }
  }
}
