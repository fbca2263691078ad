package dev.wavoice.call;

import dev.wavoice.CallId;
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
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/**
 * Reads and writes call records. The persistence unit is built by wavoice from {@link DatabaseSettings}
 * when the application starts (creating or extending the schema); if the database is unreachable then,
 * it is tried again on the next use, and readiness reports the database DOWN meanwhile.
 */
@ApplicationScoped
public class CallRecordStore {

  private static final Logger LOG = Logger.getLogger(CallRecordStore.class.getName());
  private static final String DESCRIPTOR = "META-INF/wavoice-persistence.xml";

  private DatabaseSettings settings;
  /** This instance's tag: stamped on every record it writes, so that only it closes them after a crash. */
  private String instance;
  private volatile EntityManagerFactory factory;

  protected CallRecordStore() {}

  @Inject
  public CallRecordStore(Config config) {
    this.settings = DatabaseSettings.from(config);
    this.instance = KurentoSettings.instanceTag(key -> config.getOptionalValue(key, String.class));
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

  public void insert(CallRecord record) {
    record.instance(instance);
    inTransaction(em -> em.persist(record));
  }

  /** Marks the records of these calls, if still in progress, alive at {@code at}: one statement for all. */
  public int markAlive(Collection<CallId> calls, Instant at) {
    if (calls.isEmpty()) {
      return 0;
    }
    List<String> ids = calls.stream().map(CallId::value).distinct().toList();
    int[] updated = {0};
    inTransaction(em -> updated[0] = em.createQuery(
            "UPDATE CallRecord r SET r.lastAliveAt = :at WHERE r.callId IN :ids AND r.outcome = :live")
        .setParameter("at", at)
        .setParameter("ids", ids)
        .setParameter("live", CallOutcome.IN_PROGRESS)
        .executeUpdate());
    return updated[0];
  }

  /**
   * Ids of records still in progress that this instance started before {@code cutoff} (records from
   * before instances were recorded count as this instance's).
   */
  public List<CallId> inProgressStartedBefore(Instant cutoff) {
    EntityManager em = factory().createEntityManager();
    try {
      return em.createQuery("SELECT r.callId FROM CallRecord r WHERE r.outcome = :live AND r.startedAt < :cutoff"
                  + " AND (r.instance = :instance OR r.instance IS NULL) ORDER BY r.startedAt", String.class)
          .setParameter("live", CallOutcome.IN_PROGRESS)
          .setParameter("cutoff", cutoff)
          .setParameter("instance", instance)
          .getResultList().stream().map(CallId::new).toList();
    } finally {
      em.close();
    }
  }

  /** Ids of records still in progress that the instance tagged {@code instance} wrote (a lost cluster member's). */
  public List<CallId> inProgressOf(String instance) {
    EntityManager em = factory().createEntityManager();
    try {
      return em.createQuery("SELECT r.callId FROM CallRecord r WHERE r.outcome = :live AND r.instance = :instance"
                  + " ORDER BY r.startedAt", String.class)
          .setParameter("live", CallOutcome.IN_PROGRESS)
          .setParameter("instance", instance)
          .getResultList().stream().map(CallId::new).toList();
    } finally {
      em.close();
    }
  }

  /** Applies a change to the record of this call, if there is one. */
  public void update(CallId callId, Consumer<CallRecord> change) {
    inTransaction(em -> {
      CallRecord record = em.find(CallRecord.class, callId.value());
      if (record != null) {
        change.accept(record);
      } else {
        LOG.warning(() -> "no call record for " + callId + " to update");
      }
    });
  }

  public Optional<CallRecord> find(CallId callId) {
    EntityManager em = factory().createEntityManager();
    try {
      return Optional.ofNullable(em.find(CallRecord.class, callId.value()));
    } finally {
      em.close();
    }
  }

  /** The most recent records, newest first. */
  public List<CallRecord> recent(int limit) {
    EntityManager em = factory().createEntityManager();
    try {
      return em.createQuery("SELECT r FROM CallRecord r ORDER BY r.startedAt DESC", CallRecord.class)
          .setMaxResults(limit)
          .getResultList();
    } finally {
      em.close();
    }
  }

  /** Deletes the record of this call with its transcript and errors; false when there is none. */
  public boolean delete(CallId callId) {
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
    EntityManager em = factory().createEntityManager();
    try {
      return em.createQuery("SELECT r.callId FROM CallRecord r WHERE r.startedAt < :cutoff ORDER BY r.startedAt",
              String.class)
          .setParameter("cutoff", cutoff)
          .setMaxResults(limit)
          .getResultList().stream().map(CallId::new).toList();
    } finally {
      em.close();
    }
  }

  /** True when the database answers a trivial query now. */
  public boolean reachable() {
    try {
      EntityManager em = factory().createEntityManager();
      try {
        em.createQuery("SELECT COUNT(r) FROM CallRecord r WHERE r.callId = ''").getSingleResult();
        return true;
      } finally {
        em.close();
      }
    } catch (RuntimeException e) {
      LOG.fine(() -> "database not reachable: " + e.getMessage());
      return false;
    }
  }

  public String describe() {
    return settings.toString();
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

  @PreDestroy
  void close() {
    EntityManagerFactory current = factory;
    if (current != null && current.isOpen()) {
      current.close();
    }
  }
}
