package dev.wavoice.call;

import dev.wavoice.CallId;
import dev.wavoice.ConfigValues;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import jakarta.persistence.Persistence;
import dev.wavoice.media.KurentoSettings;
import dev.wavoice.WavoiceMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Reads and writes call records. The persistence unit is built by wavoice from {@link DatabaseSettings}
 * when the application starts (creating or extending the schema); if the database is unreachable then,
 * it is tried again on the next use, and readiness reports the database DOWN meanwhile.
 *
 * <p>Writes ({@link #insert}, {@link #update}, {@link #markAlive}) never wait on the database: they join a
 * bounded queue ({@link RecordWrites}) that one writer thread applies in order, retrying while the database
 * is away, so a database that stops or slows costs no call. Reads go to the database at once and see only
 * what has been applied: while writes are pending, a record may be missing or behind.
 */
@ApplicationScoped
public class CallRecordStore {

  private static final Logger LOG = Logger.getLogger(CallRecordStore.class.getName());
  private static final String DESCRIPTOR = "META-INF/wavoice-persistence.xml";
  static final String PENDING = "wavoice_record_writes_pending";
  static final String FAILED_ATTEMPTS = "wavoice_record_write_failures";
  static final String DROPPED = "wavoice_record_writes_dropped";
  /** A write that has run this long without committing is stuck (a lock held, a database that hangs). */
  static final Duration STUCK_AFTER = Duration.ofSeconds(10);
  /** The probe of the database gives up after this (a table lock would hold it indefinitely). */
  private static final int PROBE_TIMEOUT_MS = 3000;
  /** How long an erasure waits for the call's pending writes before it refuses. */
  private static final Duration ERASE_WAIT = Duration.ofSeconds(10);

  private DatabaseSettings settings;
  /** This instance's tag: stamped on every record it writes, so that only it closes them after a crash. */
  private String instance;
  private volatile EntityManagerFactory factory;
  private RecordWrites<Consumer<EntityManager>> writes;
  private RecordWrites.Events events;
  private Clock clock;
  private Thread writer;
  private volatile boolean stopping;

  protected CallRecordStore() {}

  /** @param metrics null for none (outside the container) */
  @Inject
  public CallRecordStore(Config config, WavoiceMetrics metrics) {
    this.settings = DatabaseSettings.from(config);
    this.instance = KurentoSettings.instanceTag(ConfigValues.lookup(config));
    this.clock = Clock.systemUTC();
    String failedText = "attempts to write call records that failed (each is retried or, if the database refuses it, given up)";
    String droppedText = "call record writes dropped: queue_full, refused (by a database that answers), shutdown, closed";
    this.events = metrics == null ? new RecordWrites.Events() {
      @Override
      public void attemptFailed() {}

      @Override
      public void dropped(RecordWrites.Write<?> write, String cause) {}
    } : new RecordWrites.Events() {
      @Override
      public void attemptFailed() {
        metrics.count(FAILED_ATTEMPTS, failedText, 1);
      }

      @Override
      public void dropped(RecordWrites.Write<?> write, String cause) {
        metrics.count(DROPPED, droppedText, 1, new Tag("cause", cause));
      }
    };
    this.writes = new RecordWrites<>(new RecordWrites.Target<>() {
      @Override
      public void apply(List<Consumer<EntityManager>> batch) {
        inTransaction(em -> batch.forEach(work -> work.accept(em)));
      }

      @Override
      public boolean answers() {
        return reachable();
      }

      @Override
      public boolean lostConnection(RuntimeException failure) {
        return CallRecordStore.lostConnection(failure);
      }
    }, events, clock, settings.maxPendingWrites());
    if (metrics != null) {
      // served from the start, so the dashboard's panel answers before the first fault
      metrics.gauge(PENDING, "call record writes waiting for the database", writes::pending);
      metrics.declare(FAILED_ATTEMPTS, failedText);
      for (String cause : List.of("queue_full", "refused", "shutdown", "closed")) {
        metrics.declare(DROPPED, droppedText, new Tag("cause", cause));
      }
    }
    this.writer = Thread.ofPlatform().name("wavoice-record-writer").daemon().unstarted(this::writeLoop);
    writer.start();
  }

  /** The instance tag this store stamps on the records it writes. */
  public String instance() {
    return instance;
  }

  /** Opens the database when the application starts, so the schema exists before the first call. */
  void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
    try {
      factory();
      LOG.info(() -> "call records in " + settings);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "call record database not reachable yet (" + settings + "): " + e.getMessage());
    }
  }

  /** Queues the new record of a call (without waiting). */
  public void insert(CallRecord record) {
    record.instance(instance);
    writes.offer(record.callId(), "the new record", null, em -> {
      // tried again after a commit whose answer was lost, the row may be there already
      if (em.find(CallRecord.class, record.callId()) == null) {
        em.persist(record);
      }
    });
  }

  /**
   * Queues marking the records of these calls, if still in progress, alive at {@code at} (one statement for
   * all; a newer mark replaces one still queued); returns how many calls it names.
   */
  public int markAlive(Collection<CallId> calls, Instant at) {
    if (calls.isEmpty()) {
      return 0;
    }
    List<String> ids = calls.stream().map(CallId::value).distinct().toList();
    writes.offer(null, "the alive mark of " + ids.size() + " live calls", "alive", em -> em.createQuery(
            "UPDATE CallRecord r SET r.lastAliveAt = :at WHERE r.callId IN :ids AND r.outcome = :live")
        .setParameter("at", at)
        .setParameter("ids", ids)
        .setParameter("live", CallOutcome.IN_PROGRESS)
        .executeUpdate());
    return ids.size();
  }

  /**
   * Ids of records still in progress that this instance started before {@code cutoff} (records from
   * before instances were recorded count as this instance's).
   */
  public List<CallId> inProgressStartedBefore(Instant cutoff) {
    return read(em -> em.createQuery("SELECT r.callId FROM CallRecord r WHERE r.outcome = :live AND r.startedAt < :cutoff"
                + " AND (r.instance = :instance OR r.instance IS NULL) ORDER BY r.startedAt", String.class)
        .setParameter("live", CallOutcome.IN_PROGRESS)
        .setParameter("cutoff", cutoff)
        .setParameter("instance", instance)
        .getResultList().stream().map(CallId::new).toList());
  }

  /** Ids of records still in progress that the instance tagged {@code instance} wrote (a lost cluster member's). */
  public List<CallId> inProgressOf(String instance) {
    return read(em -> em.createQuery("SELECT r.callId FROM CallRecord r WHERE r.outcome = :live AND r.instance = :instance"
                + " ORDER BY r.startedAt", String.class)
        .setParameter("live", CallOutcome.IN_PROGRESS)
        .setParameter("instance", instance)
        .getResultList().stream().map(CallId::new).toList());
  }

  /** Queues a change to the record of this call (without waiting), applied after the writes queued before it. */
  public void update(CallId callId, Consumer<CallRecord> change) {
    writes.offer(callId.value(), "an update", null, em -> {
      CallRecord record = em.find(CallRecord.class, callId.value());
      if (record != null) {
        change.accept(record);
      } else {
        LOG.warning(() -> "no call record for " + callId + " to update");
      }
    });
  }

  /** Waits until every write queued so far is applied (or given up); false if some are still pending after {@code most}. */
  public boolean awaitWrites(Duration most) {
    try {
      return writes.awaitDone(most);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Call record writes waiting for the database. */
  public int pendingWrites() {
    return writes.pending();
  }

  /**
   * Why the database is not fit for calls' records now, in words for an operator; empty when it answers
   * and writes go through.
   */
  public Optional<String> databaseProblem() {
    RecordWrites.Health health = writes.health();
    Instant now = clock.instant();
    if (health.attemptSince() != null && Duration.between(health.attemptSince(), now).compareTo(STUCK_AFTER) > 0) {
      return Optional.of("a write has waited " + Duration.between(health.attemptSince(), now).toSeconds()
          + " s for the database (a lock held, or a database that hangs); " + health.pending() + " writes pending");
    }
    if (health.failure() != null) {
      return Optional.of("writes fail (" + health.failure() + "); " + health.pending() + " writes pending, retried");
    }
    return probe().map(reason -> "the database does not answer (" + reason + ")"
        + (health.pending() > 0 ? "; " + health.pending() + " writes pending" : ""));
  }

  public Optional<CallRecord> find(CallId callId) {
    return read(em -> Optional.ofNullable(em.find(CallRecord.class, callId.value())));
  }

  /** The most recent records, newest first. */
  public List<CallRecord> recent(int limit) {
    return read(em -> em.createQuery("SELECT r FROM CallRecord r ORDER BY r.startedAt DESC", CallRecord.class)
        .setMaxResults(limit)
        .getResultList());
  }

  /**
   * Deletes the record of this call with its transcript and errors; false when there is none. Its pending
   * writes land first (so none lands after); if they cannot within a few seconds, this throws.
   */
  public boolean delete(CallId callId) {
    try {
      if (!writes.awaitCall(callId.value(), ERASE_WAIT)) {
        throw new IllegalStateException("writes to the record of call " + callId + " are still waiting for the database");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for the pending writes of call " + callId, e);
    }
    boolean[] deleted = {false};
    inTransaction(em -> {
      CallRecord record = em.find(CallRecord.class, callId.value());
      if (record != null) {
        em.remove(record);
        deleted[0] = true;
      }
    });
    return deleted[0];
  }

  /** Ids of records of calls that started before {@code cutoff}, oldest first, at most {@code limit}. */
  public List<CallId> startedBefore(Instant cutoff, int limit) {
    return read(em -> em.createQuery("SELECT r.callId FROM CallRecord r WHERE r.startedAt < :cutoff ORDER BY r.startedAt",
            String.class)
        .setParameter("cutoff", cutoff)
        .setMaxResults(limit)
        .getResultList().stream().map(CallId::new).toList());
  }

  /** True when the database answers a trivial query now. */
  public boolean reachable() {
    return probe().isEmpty();
  }

  /** Asks the database a trivial query now: empty when it answers, else why not (the root cause's first line). */
  private Optional<String> probe() {
    try {
      return read(em -> {
        em.createQuery("SELECT COUNT(r) FROM CallRecord r WHERE r.callId = ''")
            .setHint("jakarta.persistence.query.timeout", PROBE_TIMEOUT_MS)
            .getSingleResult();
        return Optional.empty();
      });
    } catch (RuntimeException e) {
      String reason = RecordWrites.rootMessage(e);
      LOG.fine(() -> "database not reachable: " + reason);
      return Optional.of(reason);
    }
  }

  public String describe() {
    return settings.toString();
  }

  /** Runs a read in an entity manager of its own, closed afterwards. */
  private <T> T read(Function<EntityManager, T> work) {
    EntityManager em = factory().createEntityManager();
    try {
      return work.apply(em);
    } finally {
      em.close();
    }
  }

  private void inTransaction(Consumer<EntityManager> work) {
    EntityManager em = factory().createEntityManager();
    EntityTransaction tx = em.getTransaction();
    try {
      tx.begin();
      work.accept(em);
      tx.commit();
    } finally {
      if (tx.isActive()) {
        tx.rollback();
      }
      em.close();
    }
  }

  private EntityManagerFactory factory() {
    EntityManagerFactory current = factory;
    if (current != null) {
      return current;
    }
    synchronized (this) {
      if (factory == null) {
        Map<String, Object> properties = new HashMap<>(settings.jpaProperties());
        properties.put("eclipselink.persistencexml", DESCRIPTOR);
        EntityManagerFactory created = Persistence.createEntityManagerFactory("wavoice", properties);
        try {
          created.createEntityManager().close(); // connects and creates the schema now, not on the first call
        } catch (RuntimeException e) {
          created.close();
          throw e;
        }
        factory = created;
      }
      return factory;
    }
  }

  /**
   * A failure of the connection rather than of the write: SQL state class 08 (connection exception), 57P
   * (PostgreSQL shutting down or starting), H2's "database in use" and file errors, an I/O error.
   */
  static boolean lostConnection(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.io.IOException || t instanceof java.sql.SQLTransientConnectionException
          || t instanceof java.sql.SQLNonTransientConnectionException) {
        return true;
      }
      if (t instanceof java.sql.SQLException sql) {
        String state = sql.getSQLState();
        int code = sql.getErrorCode();
        if (state != null && (state.startsWith("08") || state.startsWith("57P"))) {
          return true;
        }
        // H2: 90020 database in use (the file locked), 90028 I/O exception, 90098 the database closed itself
        // (e.g. a full disk), 90100 file system full, 90031 I/O exception on close
        if (code == 90020 || code == 90028 || code == 90098 || code == 90100 || code == 90031) {
          return true;
        }
      }
    }
    return false;
  }

  /** The writer: applies the queue, pausing while the database is away. */
  private void writeLoop() {
    while (!stopping) {
      try {
        Optional<Duration> next = writes.step();
        if (next.isEmpty()) {
          writes.awaitWork(Duration.ofSeconds(1));
        } else if (!next.get().isZero()) {
          Thread.sleep(Math.max(1, next.get().toMillis()));
        }
      } catch (InterruptedException e) {
        if (stopping) {
          return;
        }
      } catch (RuntimeException e) {
        LOG.log(Level.SEVERE, "the call record writer failed; it goes on", e);
      }
    }
  }

  /**
   * At shutdown: the pending writes get {@code wavoice.db.shutdown-drain-seconds} to land (calls ended by the
   * shutdown write their records now); what is left then is logged, write by write, and counted.
   */
  @PreDestroy
  void close() {
    Duration drain = settings.shutdownDrain();
    int pending = writes.pending();
    if (pending > 0) {
      LOG.info(() -> "waiting up to " + drain.toSeconds() + " s for " + pending + " call record writes");
    }
    awaitWrites(drain);
    List<RecordWrites.Write<Consumer<EntityManager>>> left = writes.close();
    stopping = true;
    writer.interrupt();
    try {
      writer.join(Duration.ofSeconds(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!left.isEmpty()) {
      LOG.severe("wavoice stops with " + left.size() + " call record writes the database did not take in "
          + drain.toSeconds() + " s; they are lost:");
      left.forEach(w -> {
        LOG.severe("  not written: " + w.describe());
        events.dropped(w, "shutdown");
      });
    }
    EntityManagerFactory current = factory;
    if (current != null && current.isOpen()) {
      current.close();
    }
  }
}
