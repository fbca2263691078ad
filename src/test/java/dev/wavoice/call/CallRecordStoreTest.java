package dev.wavoice.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.CallId;
import dev.wavoice.testkit.MapConfig;
import dev.wavoice.testkit.Ports;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The record store's writes at its edges, on real databases: a shutdown lets the queue drain into H2; a
 * shutdown while the database is away (a PostgreSQL port nobody listens on) ends in bounded time and names
 * every write it could not land.
 */
class CallRecordStoreTest {

  private static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");

  @TempDir Path dir;

  @Test
  void closingLetsThePendingWritesLand() {
    MapConfig config = MapConfig.of("wavoice.data-dir", dir.resolve("data").toString());
    CallRecordStore store = new CallRecordStore(config, null);
    for (int i = 0; i < 200; i++) {
      store.insert(record("wacid.DRAIN" + i));
      int n = i;
      store.update(new CallId("wacid.DRAIN" + i), r -> r.preAccepted(T0.plusSeconds(n)));
    }
    store.close();

    CallRecordStore reopened = new CallRecordStore(config, null);
    try {
      for (int i = 0; i < 200; i++) {
        assertThat(reopened.find(new CallId("wacid.DRAIN" + i))).hasValueSatisfying(
            r -> assertThat(r.preAcceptedAt()).isNotNull());
      }
    } finally {
      reopened.close();
    }
  }

  @Test
  void closingWhileTheDatabaseIsAwayEndsInBoundedTimeAndNamesWhatIsLost() {
    CallRecordStore store = new CallRecordStore(MapConfig.of(
        "wavoice.db.url", "jdbc:postgresql://127.0.0.1:" + Ports.freeTcpPort() + "/wavoice",
        "wavoice.db.user", "wavoice",
        "wavoice.db.shutdown-drain-seconds", "1"), null);
    List<String> severe = new CopyOnWriteArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord r) {
        if (r.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()) {
          severe.add(r.getMessage());
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger log = Logger.getLogger(CallRecordStore.class.getName());
    log.addHandler(capture);
    try {
      store.insert(record("wacid.LOST1"));
      store.update(new CallId("wacid.LOST1"), r -> r.preAccepted(T0));
      assertThat(store.pendingWrites()).isEqualTo(2);
      assertThat(store.databaseProblem()).hasValueSatisfying(p -> assertThat(p).contains("2 writes pending"));

      store.close();

      assertThat(severe).anySatisfy(m -> assertThat(m).contains("2 call record writes"))
          .anySatisfy(m -> assertThat(m).contains("not written: the new record of call wacid.LOST1"))
          .anySatisfy(m -> assertThat(m).contains("not written: an update of call wacid.LOST1"));
    } finally {
      log.removeHandler(capture);
    }
  }

  private static CallRecord record(String id) {
    return new CallRecord(id, "whatsapp", "INBOUND", "13175550000", null, "Caller", "pcmu", T0);
  }
}
