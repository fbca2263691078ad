package dev.wavoice.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.CallId;
import dev.wavoice.bridge.RecordingSettings;
import dev.wavoice.testkit.MapConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Erasure and retention against a real embedded H2 database (the app's persistence unit) and real
 * recording files: what must go goes, with its transcript and recording, and nothing else does.
 */
class CallErasureTest {

  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

  @TempDir Path dir;
  private CallRecordStore records;
  private RecordingSettings recording;
  private Set<CallId> live;
  private CallErasure erasure;

  @BeforeEach
  void open() {
    records = new CallRecordStore(MapConfig.of("wavoice.data-dir", dir.resolve("data").toString()), null);
    recording = new RecordingSettings(true, dir.resolve("recordings"), "This call is recorded.");
    live = new java.util.concurrent.CopyOnWriteArraySet<>();
    erasure = new CallErasure(records, live::contains, recording);
  }

  @AfterEach
  void close() {
    records.close();
  }

  @Test
  void erasingACallRemovesItsRecordTranscriptAndRecordingOnly() throws Exception {
    CallId erased = call("wacid.ERASE1", NOW.minusSeconds(60), true);
    CallId kept = call("wacid.KEEP1", NOW.minusSeconds(30), true);

    assertThat(erasure.erase(erased)).isEqualTo(CallErasure.Outcome.ERASED);

    assertThat(found(erased)).isEmpty();
    assertThat(Files.exists(recording.file(erased))).isFalse();
    assertThat(erasure.recording(erased)).isEmpty();
    assertThat(found(kept)).hasValueSatisfying(r -> assertThat(r.transcript()).hasSize(2));
    assertThat(erasure.recording(kept)).contains(recording.file(kept));
    // the transcript rows went with the record: a new record under the same id starts empty
    call("wacid.ERASE1", NOW, false);
    assertThat(found(erased)).hasValueSatisfying(r -> assertThat(r.transcript()).hasSize(2));
  }

  @Test
  void anUnknownCallIsNotFoundAndALiveOneIsRefused() throws Exception {
    assertThat(erasure.erase(new CallId("wacid.NOPE"))).isEqualTo(CallErasure.Outcome.NOT_FOUND);
    CallId running = call("wacid.LIVE1", NOW, true);
    live.add(running);

    assertThat(erasure.erase(running)).isEqualTo(CallErasure.Outcome.LIVE);

    assertThat(found(running)).isPresent();
    assertThat(Files.exists(recording.file(running))).isTrue();
  }

  @Test
  void retentionPurgesCallsOlderThanItsDaysAndCountsThem() throws Exception {
    CallId old = call("wacid.OLD1", NOW.minus(Duration.ofDays(8)), true);
    CallId oldUnrecorded = call("wacid.OLD2", NOW.minus(Duration.ofDays(7)).minusSeconds(1), false);
    CallId oldButLive = call("wacid.OLD3", NOW.minus(Duration.ofDays(9)), true);
    CallId young = call("wacid.NEW1", NOW.minus(Duration.ofDays(7)).plusSeconds(1), true);
    live.add(oldButLive);
    AtomicLong counted = new AtomicLong();
    Retention retention = new Retention(new RetentionSettings(7), erasure, counted::addAndGet,
        Clock.fixed(NOW, ZoneOffset.UTC));

    assertThat(retention.purge()).isEqualTo(2);

    assertThat(counted).hasValue(2);
    assertThat(found(old)).isEmpty();
    assertThat(found(oldUnrecorded)).isEmpty();
    assertThat(Files.exists(recording.file(old))).isFalse();
    assertThat(found(young)).isPresent();
    assertThat(Files.exists(recording.file(young))).isTrue();
    assertThat(found(oldButLive)).isPresent();
    assertThat(Files.exists(recording.file(oldButLive))).isTrue();
    // a second run finds nothing more
    assertThat(retention.purge()).isZero();
  }

  @Test
  void retentionZeroKeepsEverything() throws Exception {
    CallId ancient = call("wacid.ANCIENT", NOW.minus(Duration.ofDays(4000)), true);
    Retention retention = new Retention(RetentionSettings.from(key -> java.util.Optional.empty()), erasure,
        n -> { }, Clock.fixed(NOW, ZoneOffset.UTC));

    assertThat(retention.purge()).isZero();

    assertThat(found(ancient)).isPresent();
    assertThat(Files.exists(recording.file(ancient))).isTrue();
  }

  private CallId call(String id, Instant startedAt, boolean recorded) throws Exception {
    CallId callId = new CallId(id);
    records.delete(callId);
    records.insert(new CallRecord(id, "whatsapp", "inbound", "15551234567", "15557654321", "Ann", "pcmu", startedAt));
    records.update(callId, r -> r.ended(startedAt.plusSeconds(20), EndReason.REMOTE_TERMINATE, null, null,
        List.of(new TranscriptEntry("caller", startedAt.plusSeconds(2), "Hello?"),
            new TranscriptEntry("agent", startedAt.plusSeconds(3), "This call is recorded. Hi!")), 0));
    written(); // erasure and purge act on what the database has
    if (recorded) {
      Files.createDirectories(recording.dir());
      Files.write(recording.file(callId), new byte[] {1, 2, 3});
    }
    return callId;
  }

  /** The record as the database has it once the writes queued so far have landed. */
  private java.util.Optional<CallRecord> found(CallId id) {
    written();
    return records.find(id);
  }

  private void written() {
    assertThat(records.awaitWrites(java.time.Duration.ofSeconds(10))).as("the queued writes landed").isTrue();
  }
}
