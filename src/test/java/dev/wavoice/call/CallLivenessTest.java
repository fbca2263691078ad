package dev.wavoice.call;

import dev.wavoice.testkit.MovableClock;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.CallId;
import dev.wavoice.testkit.MapConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alive sweep and the closing of records a dead process left in progress, against the app's
 * persistence unit on an embedded H2 file, with the clock moved by the test: a first process marks its
 * calls alive and dies, the next one closes exactly its leftovers.
 */
class CallLivenessTest {

  private static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");
  private static final String TAG = "unit-instance";

  @TempDir Path dir;
  private CallRecordStore records;
  private final MovableClock clock = new MovableClock(T0.minusSeconds(120));

  @BeforeEach
  void open() {
    records = new CallRecordStore(MapConfig.of("wavoice.data-dir", dir.resolve("data").toString(),
        "wavoice.kurento.instance-tag", TAG), null);
  }

  @AfterEach
  void close() {
    records.close();
  }

  @Test
  void theNextProcessClosesOnlyTheRecordsItsDeadPredecessorLeftInProgress() {
    // the first process: two live calls, marked alive, then one more transcript line, then it dies
    CallId marked = insert("wacid.DEAD1", T0.minusSeconds(60));
    CallId spokeAfterMark = insert("wacid.DEAD2", T0.minusSeconds(58));
    CallId completed = insert("wacid.DONE1", T0.minusSeconds(59));
    CallId otherInstance = insert("wacid.OTHER1", T0.minusSeconds(57), "another-instance");
    records.update(marked, r -> r.accepted(T0.minusSeconds(55), true));
    records.update(marked, r -> r.transcriptSoFar(List.of(line("bot", T0.minusSeconds(50), "Hello."))));
    records.update(completed, r -> r.ended(T0.minusSeconds(40), EndReason.REMOTE_TERMINATE, null, null, List.of(), 0));
    CallLiveness dead = new CallLiveness(records, () -> Set.of(marked, spokeAfterMark), n -> { },
        clock, Duration.ofSeconds(5));
    clock.set(T0.minusSeconds(45));
    written();
    dead.sweep();
    records.update(spokeAfterMark, r -> r.transcriptSoFar(List.of(line("caller", T0.minusSeconds(42), "Hi?"))));

    // the next process starts at T0; a call of its own starts right after
    clock.set(T0);
    AtomicLong interrupted = new AtomicLong();
    List<CallId> live = new java.util.concurrent.CopyOnWriteArrayList<>();
    CallLiveness next = new CallLiveness(records, () -> Set.copyOf(live), interrupted::addAndGet, clock, Duration.ofSeconds(5));
    CallId fresh = insert("wacid.NEW1", T0.plusSeconds(1));
    live.add(fresh);
    clock.set(T0.plusSeconds(5));
    written();
    next.sweep();

    CallRecord first = found(marked).orElseThrow();
    assertThat(first.endReason()).isEqualTo(EndReason.INTERRUPTED);
    assertThat(first.outcome()).isEqualTo(CallOutcome.FAILED);
    assertThat(first.endedAt()).isEqualTo(T0.minusSeconds(45)); // the sweep's mark, the latest sign of life
    assertThat(first.talkTime()).isEqualTo(Duration.ofSeconds(10));
    assertThat(first.endDetail()).isEqualTo(CallLiveness.DETAIL);
    assertThat(first.transcript()).extracting(TranscriptEntry::text).containsExactly("Hello.");
    CallRecord second = found(spokeAfterMark).orElseThrow();
    assertThat(second.endReason()).isEqualTo(EndReason.INTERRUPTED);
    assertThat(second.endedAt()).isEqualTo(T0.minusSeconds(42)); // a line written after the last mark
    assertThat(second.transcript()).extracting(TranscriptEntry::text).containsExactly("Hi?");
    assertThat(interrupted).hasValue(2);

    // what was not the dead process's to close stays as it was
    assertThat(found(completed).orElseThrow().endReason()).isEqualTo(EndReason.REMOTE_TERMINATE);
    CallRecord foreign = found(otherInstance).orElseThrow();
    assertThat(foreign.outcome()).isEqualTo(CallOutcome.IN_PROGRESS);
    CallRecord own = found(fresh).orElseThrow();
    assertThat(own.outcome()).isEqualTo(CallOutcome.IN_PROGRESS);
    assertThat(own.instance()).isEqualTo(TAG);
    assertThat(own.lastAliveAt()).isEqualTo(T0.plusSeconds(5));

    // later rounds only mark: nothing is closed twice, an ended record is no longer marked
    records.update(fresh, r -> r.ended(T0.plusSeconds(7), EndReason.REMOTE_TERMINATE, null, null, List.of(), 0));
    clock.set(T0.plusSeconds(10));
    written();
    next.sweep();
    assertThat(interrupted).hasValue(2);
    assertThat(found(fresh).orElseThrow().lastAliveAt()).isEqualTo(T0.plusSeconds(5));
    assertThat(found(marked).orElseThrow().endedAt()).isEqualTo(T0.minusSeconds(45));
  }

  @Test
  void aRecordNeverMarkedEndsAtItsLastStepAndTheTranscriptSoFarOnlyGrows() {
    clock.set(T0.minusSeconds(30));
    CallId id = insert("wacid.EARLY1", T0.minusSeconds(30));
    records.update(id, r -> r.preAccepted(T0.minusSeconds(29)));
    records.update(id, r -> r.timeline(List.of(new TimelineEvent("media_connected", 1500))));
    TranscriptEntry hello = line("bot", T0.minusSeconds(28), "Hello.");
    records.update(id, r -> r.transcriptSoFar(List.of(hello)));
    // a write that comes late with fewer lines never takes one away
    records.update(id, r -> r.transcriptSoFar(List.of()));
    records.update(id, r -> r.transcriptSoFar(List.of(hello, line("caller", T0.minusSeconds(27), "Hi."))));

    clock.set(T0);
    written();
    new CallLiveness(records, Set::of, n -> { }, clock, Duration.ofSeconds(5)).sweep();

    CallRecord record = found(id).orElseThrow();
    assertThat(record.endReason()).isEqualTo(EndReason.INTERRUPTED);
    assertThat(record.endedAt()).isEqualTo(T0.minusSeconds(27));
    assertThat(record.transcript()).extracting(TranscriptEntry::text).containsExactly("Hello.", "Hi.");
    // a closed record takes no more transcript from a late write
    records.update(id, r -> r.transcriptSoFar(List.of(hello, line("caller", T0.minusSeconds(27), "Hi."),
        line("bot", T0.plusSeconds(1), "Late."))));
    assertThat(found(id).orElseThrow().transcript()).hasSize(2);
  }

  @Test
  void theTranscriptSoFarIsInTheDatabaseNotOnlyInTheCache() {
    CallId id = insert("wacid.LINES1", T0);
    records.update(id, r -> r.transcriptSoFar(List.of(line("bot", T0.plusSeconds(1), "Hello."))));
    records.update(id, r -> r.transcriptSoFar(List.of(line("bot", T0.plusSeconds(1), "Hello."),
        line("caller", T0.plusSeconds(2), "Hi."))));
    records.close();
    records = new CallRecordStore(MapConfig.of("wavoice.data-dir", dir.resolve("data").toString(),
        "wavoice.kurento.instance-tag", TAG), null);

    assertThat(found(id).orElseThrow().transcript()).extracting(TranscriptEntry::text).containsExactly("Hello.", "Hi.");
  }

  @Test
  void theIntervalIsReadAndChecked() {
    assertThat(CallLiveness.interval(MapConfig.of())).isEqualTo(Duration.ofSeconds(5));
    assertThat(CallLiveness.interval(MapConfig.of(CallLiveness.ALIVE_INTERVAL_SECONDS, "2"))).isEqualTo(Duration.ofSeconds(2));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> CallLiveness.interval(MapConfig.of(CallLiveness.ALIVE_INTERVAL_SECONDS, "0")))
        .hasMessageContaining(CallLiveness.ALIVE_INTERVAL_SECONDS);
  }

  private CallId insert(String id, Instant startedAt) {
    return insert(id, startedAt, null);
  }

  private CallId insert(String id, Instant startedAt, String instance) {
    CallRecord record = new CallRecord(id, "whatsapp", "INBOUND", "13175550000", null, "Caller", "pcmu", startedAt);
    if (instance != null) {
      record.instance(instance);
    }
    records.insert(record);
    return new CallId(id);
  }

  private static TranscriptEntry line(String speaker, Instant at, String text) {
    return new TranscriptEntry(speaker, at, text);
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
