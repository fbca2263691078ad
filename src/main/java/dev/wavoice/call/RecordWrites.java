package dev.wavoice.call;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The call record store's pending writes: a bounded queue that callers add to without waiting, applied by
 * one writer in the order they were added (so in order for each call), a batch per transaction. While the
 * database is away ({@link Target#answers()} false) the batch is tried again with a growing pause; a write
 * the database refuses while it answers is tried alone {@link #ATTEMPTS_WHILE_ANSWERING} times and then
 * given up. Nothing is dropped without a log line and a count: a write that finds the queue full, a write
 * given up, a write left at shutdown.
 *
 * <p>{@link #step()} does one attempt and says when the next is due; the store's writer thread loops on it,
 * the unit tests call it with a clock they move.
 *
 * @param <W> the work of one write (for the store: what it does in the transaction)
 */
final class RecordWrites<W> {

  private static final Logger LOG = Logger.getLogger(RecordWrites.class.getName());

  /** Tries of one write the database refuses while it answers, before it is given up. */
  static final int ATTEMPTS_WHILE_ANSWERING = 3;
  static final Duration FIRST_PAUSE = Duration.ofMillis(200);
  static final Duration LONGEST_PAUSE = Duration.ofSeconds(5);
  private static final Duration WARN_EVERY = Duration.ofMinutes(1);
  /** Writes applied in one transaction at most. */
  static final int BATCH = 50;

  /** Where the writes go: the database. */
  interface Target<W> {
    /** Applies these writes in one transaction; throws when it did not commit. */
    void apply(List<W> batch);

    /** True when the database answers a trivial query now. */
    boolean answers();

    /** True when this failure says the database is away (no connection, shutting down), whatever it answers a moment later. */
    boolean lostConnection(RuntimeException failure);
  }

  /** What the queue tells the outside: a failed attempt, a write dropped. */
  interface Events {
    void attemptFailed();

    void dropped(Write<?> write, String cause);
  }

  /** One write: whose call, what it is (for the log), and an optional key a newer write of the same key replaces. */
  record Write<W>(String call, String what, String supersedes, W work) {
    String describe() {
      return what + (call == null ? "" : " of call " + call);
    }
  }

  /** How writing goes: pending writes, the last failure since the last success (null if none), the attempt running since (null if none). */
  record Health(int pending, String failure, Instant attemptSince, Instant oldestSince) {}

  private final Target<W> target;
  private final Events events;
  private final Clock clock;
  private final int capacity;

  private final Object lock = new Object();
  private final ArrayDeque<Entry<W>> queue = new ArrayDeque<>();
  /** The writes being tried (removed from the queue, still pending until they commit or are given up). */
  private final List<Entry<W>> inFlight = new ArrayList<>();
  private long added;
  /** Writes still to be tried one by one since a batch the database refused. */
  private int isolating;
  private int triesOfOne;
  private Duration pause = FIRST_PAUSE;
  private Instant retryAt;
  private String failure;
  private Instant attemptSince;
  private boolean closed;
  private Instant warnedAt;

  private record Entry<W>(long seq, Instant at, Write<W> write) {}

  RecordWrites(Target<W> target, Events events, Clock clock, int capacity) {
    this.target = target;
    this.events = events;
    this.clock = clock;
    this.capacity = capacity;
  }

  /**
   * Adds a write without waiting; false (logged and counted) when the queue is full or closed. A write with
   * a {@code supersedes} key replaces a queued one of the same key that is not being tried yet.
   */
  boolean offer(String call, String what, String supersedes, W work) {
    Write<W> write = new Write<>(call, what, supersedes, work);
    String refused = null;
    synchronized (lock) {
      if (closed) {
        refused = "closed";
      } else {
        if (supersedes != null) {
          for (Iterator<Entry<W>> it = queue.iterator(); it.hasNext(); ) {
            Entry<W> e = it.next();
            if (supersedes.equals(e.write().supersedes())) {
              it.remove(); // replaced by the newer write
              break;
            }
          }
        }
        if (pendingLocked() >= capacity) {
          refused = "queue_full";
        } else {
          queue.add(new Entry<>(++added, clock.instant(), write));
          lock.notifyAll();
        }
      }
    }
    if (refused != null) {
      LOG.warning("call record write dropped (" + (refused.equals("closed") ? "the store is closed" : "the queue of "
          + capacity + " pending writes is full: the database has been away too long") + "): " + write.describe());
      events.dropped(write, refused);
      return false;
    }
    return true;
  }

  /**
   * One attempt if one is due: the time until the next is due ({@link Duration#ZERO}: at once), or empty
   * when nothing is pending. Only the writer calls it.
   */
  Optional<Duration> step() {
    List<Entry<W>> batch;
    synchronized (lock) {
      Instant now = clock.instant();
      if (inFlight.isEmpty() && queue.isEmpty()) {
        return Optional.empty();
      }
      if (retryAt != null && now.isBefore(retryAt)) {
        return Optional.of(Duration.between(now, retryAt));
      }
      int size = isolating > 0 ? 1 : BATCH;
      while (inFlight.size() < size && !queue.isEmpty()) {
        inFlight.add(queue.poll());
      }
      batch = List.copyOf(inFlight);
      attemptSince = now;
    }
    RuntimeException failed = null;
    try {
      target.apply(batch.stream().map(e -> e.write().work()).toList());
    } catch (RuntimeException e) {
      failed = e;
    }
    if (failed == null) {
      String recovered;
      synchronized (lock) {
        recovered = failure == null ? null : "call record writes go through again after a failure (" + failure + "); "
            + (pendingLocked() - batch.size()) + " still pending";
        inFlight.clear();
        isolating = Math.max(0, isolating - 1);
        triesOfOne = 0;
        pause = FIRST_PAUSE;
        retryAt = null;
        failure = null;
        warnedAt = null;
        attemptSince = null;
        lock.notifyAll();
      }
      if (recovered != null) {
        LOG.info(recovered);
      }
      return Optional.of(Duration.ZERO);
    }
    events.attemptFailed();
    String reason = rootMessage(failed);
    // outside the lock: may take a while when the database is away. A connection lost counts as away even
    // if the database answers by now: it may have come back between the two, and the write is tried again
    boolean answers = !target.lostConnection(failed) && target.answers();
    Entry<W> givenUp = null;
    Duration wait;
    synchronized (lock) {
      failure = reason;
      attemptSince = null;
      Instant now = clock.instant();
      if (!answers) {
        // the database is away: the same batch again after a growing pause
        wait = pause;
        pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
      } else if (inFlight.size() > 1) {
        // the database answers but refused the batch: find the write it refuses by trying them one by one
        isolating = inFlight.size();
        for (int i = inFlight.size() - 1; i >= 1; i--) {
          queue.addFirst(inFlight.remove(i));
        }
        wait = Duration.ZERO;
      } else {
        triesOfOne++;
        if (triesOfOne >= ATTEMPTS_WHILE_ANSWERING) {
          givenUp = inFlight.remove(0);
          isolating = Math.max(0, isolating - 1);
          triesOfOne = 0;
          lock.notifyAll();
          wait = Duration.ZERO;
        } else {
          wait = pause;
        }
      }
      retryAt = wait.isZero() ? null : now.plus(wait);
    }
    if (answers && givenUp == null) {
      LOG.warning("the call record database answers but refused a write (" + reason + "): tried again, "
          + (isolatingNow() ? "one write at a time" : "alone"));
    }
    if (givenUp != null) {
      LOG.severe("call record write given up after " + ATTEMPTS_WHILE_ANSWERING
          + " attempts refused by a database that answers: " + givenUp.write().describe() + ": " + reason);
      events.dropped(givenUp.write(), "refused");
    } else if (!answers && warnNow()) {
      LOG.warning("call record database away (" + reason + "): " + pending() + " writes pending, next attempt in "
          + wait.toMillis() + " ms");
    }
    return Optional.of(wait);
  }

  /** While the database is away: the first failure is logged, then one a minute (retries come every few seconds). */
  private boolean warnNow() {
    synchronized (lock) {
      Instant now = clock.instant();
      if (warnedAt == null || !now.isBefore(warnedAt.plus(WARN_EVERY))) {
        warnedAt = now;
        return true;
      }
      return false;
    }
  }

  private boolean isolatingNow() {
    synchronized (lock) {
      return isolating > 0;
    }
  }

  /** Waits (real time) until the writer has something to do, for at most {@code most}. */
  void awaitWork(Duration most) throws InterruptedException {
    synchronized (lock) {
      if (queue.isEmpty() && inFlight.isEmpty() && !closed) {
        lock.wait(Math.max(1, most.toMillis()));
      }
    }
  }

  /** Waits (real time) until every write added before this call is done; false if some are still pending after {@code most}. */
  boolean awaitDone(Duration most) throws InterruptedException {
    long deadline = System.nanoTime() + most.toNanos();
    synchronized (lock) {
      long target = added;
      while (doneUpTo() < target) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        lock.wait(Math.max(1, left / 1_000_000));
      }
      return true;
    }
  }

  /** Waits (real time) until no write of this call is pending; false if some still are after {@code most}. */
  boolean awaitCall(String call, Duration most) throws InterruptedException {
    long deadline = System.nanoTime() + most.toNanos();
    synchronized (lock) {
      while (pendingOf(call)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        lock.wait(Math.max(1, left / 1_000_000));
      }
      return true;
    }
  }

  private boolean pendingOf(String call) {
    return inFlight.stream().anyMatch(e -> call.equals(e.write().call()))
        || queue.stream().anyMatch(e -> call.equals(e.write().call()));
  }

  /** Every write with a number up to this is done (applied, replaced or given up). */
  private long doneUpTo() {
    long oldest = !inFlight.isEmpty() ? inFlight.get(0).seq() : queue.isEmpty() ? Long.MAX_VALUE : queue.peek().seq();
    return Math.min(added, oldest - 1);
  }

  int pending() {
    synchronized (lock) {
      return pendingLocked();
    }
  }

  private int pendingLocked() {
    return inFlight.size() + queue.size();
  }

  Health health() {
    synchronized (lock) {
      Instant oldest = !inFlight.isEmpty() ? inFlight.get(0).at() : queue.isEmpty() ? null : queue.peek().at();
      return new Health(pendingLocked(), failure, attemptSince, oldest);
    }
  }

  /** No more writes are taken; returns what is still pending, in order (the writer may still apply some). */
  List<Write<W>> close() {
    synchronized (lock) {
      closed = true;
      lock.notifyAll();
      List<Write<W>> left = new ArrayList<>();
      inFlight.forEach(e -> left.add(e.write()));
      queue.forEach(e -> left.add(e.write()));
      return left;
    }
  }

  boolean closed() {
    synchronized (lock) {
      return closed;
    }
  }

  /** The first line of the innermost cause's message: what an operator needs, without the wrappers. */
  static String rootMessage(Throwable failure) {
    Throwable t = failure;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return message.lines().findFirst().orElse(message);
  }
}
