package dev.wavoice.call;

import dev.wavoice.testkit.MovableClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The record store's write queue against a fake database the test switches away and back, with a clock
 * the test moves: order, retries while away, a write the database refuses, the bound.
 */
class RecordWritesTest {

  private final FakeDatabase db = new FakeDatabase();
  private final MovableClock clock = new MovableClock(Instant.parse("2026-06-01T12:00:00Z"));
  private final List<String> dropped = new ArrayList<>();
  private int failedAttempts;
  private final RecordWrites<String> writes = new RecordWrites<>(db, new RecordWrites.Events() {
    @Override
    public void attemptFailed() {
      failedAttempts++;
    }

    @Override
    public void dropped(RecordWrites.Write<?> write, String cause) {
      dropped.add(write.work() + ":" + cause);
    }
  }, clock, 200);

  @Test
  void writesAreAppliedInTheOrderTheyCameABatchPerTransaction() {
    for (int i = 0; i < RecordWrites.BATCH + 5; i++) {
      assertThat(writes.offer("call-" + (i % 3), "an update", null, "w" + i)).isTrue();
    }
    assertThat(writes.pending()).isEqualTo(RecordWrites.BATCH + 5);

    drain();

    assertThat(db.committed).hasSize(RecordWrites.BATCH + 5);
    for (int i = 0; i < db.committed.size(); i++) {
      assertThat(db.committed.get(i)).isEqualTo("w" + i);
    }
    assertThat(db.transactions).containsExactly(RecordWrites.BATCH, 5);
    assertThat(writes.pending()).isZero();
    assertThat(writes.step()).isEmpty();
  }

  @Test
  void whileTheDatabaseIsAwayTheSameWritesAreRetriedWithGrowingPausesAndLandInOrderWhenItIsBack() {
    db.away = true;
    writes.offer("call-1", "the new record", null, "insert-1");
    writes.offer("call-1", "an update", null, "update-1");

    assertThat(writes.step()).contains(Duration.ofMillis(200));
    assertThat(writes.health().failure()).contains("connection refused");
    assertThat(writes.health().pending()).isEqualTo(2);
    // not due yet: no attempt, the time left
    clock.advance(Duration.ofMillis(150));
    assertThat(writes.step()).contains(Duration.ofMillis(50));
    assertThat(db.attempts).isEqualTo(1);
    clock.advance(Duration.ofMillis(50));
    assertThat(writes.step()).contains(Duration.ofMillis(400));
    clock.advance(Duration.ofMillis(400));
    assertThat(writes.step()).contains(Duration.ofMillis(800));
    // the pause stops growing at its longest
    for (int i = 0; i < 10; i++) {
      clock.advance(Duration.ofSeconds(60));
      writes.step();
    }
    clock.advance(Duration.ofSeconds(60));
    assertThat(writes.step()).contains(RecordWrites.LONGEST_PAUSE);
    // a call that starts meanwhile is queued behind
    writes.offer("call-2", "the new record", null, "insert-2");

    db.away = false;
    clock.advance(RecordWrites.LONGEST_PAUSE);
    drain();

    assertThat(db.committed).containsExactly("insert-1", "update-1", "insert-2");
    assertThat(failedAttempts).isEqualTo(db.attempts - 1);
    assertThat(dropped).isEmpty();
    assertThat(writes.health().failure()).isNull();
    // back to the shortest pause after a success
    db.away = true;
    writes.offer("call-3", "the new record", null, "insert-3");
    assertThat(writes.step()).contains(RecordWrites.FIRST_PAUSE);
  }

  @Test
  void aWriteTheDatabaseRefusesWhileItAnswersIsFoundTriedAloneAndGivenUpWithoutHoldingUpTheOthers() {
    db.refused.add("bad");
    writes.offer("call-1", "the new record", null, "insert-1");
    writes.offer("call-2", "an update", null, "bad");
    writes.offer("call-1", "an update", null, "update-1");

    drain();

    assertThat(db.committed).containsExactly("insert-1", "update-1");
    assertThat(dropped).containsExactly("bad:refused");
    // the batch once, then the writes alone: "bad" three times
    assertThat(failedAttempts).isEqualTo(1 + RecordWrites.ATTEMPTS_WHILE_ANSWERING);
    assertThat(writes.pending()).isZero();
  }

  @Test
  void aLostConnectionIsRetriedAsAnOutageEvenWhenTheDatabaseAnswersAMomentLater() {
    db.connectionsLost = RecordWrites.ATTEMPTS_WHILE_ANSWERING + 1;
    writes.offer("call-1", "an update", null, "update-1");
    drain();
    assertThat(dropped).isEmpty();
    assertThat(db.committed).containsExactly("update-1");
    assertThat(failedAttempts).isEqualTo(RecordWrites.ATTEMPTS_WHILE_ANSWERING + 1);
  }

  @Test
  void aFullQueueRefusesNewWritesAndSaysSoWhileTheQueuedOnesStay() {
    db.away = true;
    for (int i = 0; i < 200; i++) {
      assertThat(writes.offer("call-" + i, "the new record", null, "insert-" + i)).isTrue();
    }
    assertThat(writes.offer("call-200", "the new record", null, "insert-200")).isFalse();
    assertThat(dropped).containsExactly("insert-200:queue_full");
    assertThat(writes.pending()).isEqualTo(200);

    db.away = false;
    drain();
    assertThat(db.committed).hasSize(200).startsWith("insert-0").endsWith("insert-199");
  }

  @Test
  void aNewerAliveMarkReplacesOneStillQueued() {
    db.away = true;
    writes.offer(null, "the alive mark", "alive", "alive-1");
    writes.offer("call-1", "an update", null, "update-1");
    writes.offer(null, "the alive mark", "alive", "alive-2");
    writes.offer(null, "the alive mark", "alive", "alive-3");
    assertThat(writes.pending()).isEqualTo(2);

    db.away = false;
    drain();
    assertThat(db.committed).containsExactly("update-1", "alive-3");
  }

  @Test
  void aWriteRunningLongIsVisibleAndClosingGivesWhatIsLeftInOrder() {
    db.away = true;
    writes.offer("call-1", "the new record", null, "insert-1");
    writes.step();
    writes.offer("call-1", "an update", null, "update-1");
    assertThat(writes.health().oldestSince()).isEqualTo(clock.instant());

    List<RecordWrites.Write<String>> left = writes.close();

    assertThat(left).extracting(RecordWrites.Write::work).containsExactly("insert-1", "update-1");
    assertThat(writes.offer("call-2", "the new record", null, "insert-2")).isFalse();
    assertThat(dropped).containsExactly("insert-2:closed");
  }

  @Test
  void waitingForACallEndsWhenItsWritesHaveLanded() throws InterruptedException {
    writes.offer("call-1", "the new record", null, "insert-1");
    writes.offer("call-2", "the new record", null, "insert-2");
    assertThat(writes.awaitCall("call-1", Duration.ofMillis(1))).isFalse();
    assertThat(writes.awaitDone(Duration.ofMillis(1))).isFalse();
    drain();
    assertThat(writes.awaitCall("call-1", Duration.ofMillis(1))).isTrue();
    assertThat(writes.awaitDone(Duration.ofMillis(1))).isTrue();
  }

  /** Steps until nothing is pending, moving the clock over every pause. */
  private void drain() {
    for (int i = 0; i < 1000; i++) {
      Optional<Duration> next = writes.step();
      if (next.isEmpty()) {
        return;
      }
      clock.advance(next.get());
    }
    throw new AssertionError("the queue did not drain");
  }

  /** Commits writes unless it is away (then nothing answers) or refuses one of them (then it answers). */
  private static final class FakeDatabase implements RecordWrites.Target<String> {
    final List<String> committed = new ArrayList<>();
    final List<Integer> transactions = new ArrayList<>();
    final Set<String> refused = new HashSet<>();
    boolean away;
    /** The next attempts find their connection cut, while the database answers again. */
    int connectionsLost;
    int attempts;

    @Override
    public void apply(List<String> batch) {
      attempts++;
      if (away || connectionsLost > 0) {
        connectionsLost--;
        throw new IllegalStateException("wrapped", new java.net.ConnectException("connection refused"));
      }
      for (String write : batch) {
        if (refused.contains(write)) {
          throw new IllegalArgumentException("value too long for column");
        }
      }
      committed.addAll(batch);
      transactions.add(batch.size());
    }

    @Override
    public boolean answers() {
      return !away;
    }

    @Override
    public boolean lostConnection(RuntimeException failure) {
      return failure.getCause() instanceof java.net.ConnectException;
    }
  }
}
