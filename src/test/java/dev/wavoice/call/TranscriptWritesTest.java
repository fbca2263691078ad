package dev.wavoice.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Lines heard in a burst make one write; a line after that write arms the next one. */
class TranscriptWritesTest {

  private final List<Runnable> scheduled = new ArrayList<>();
  private final List<Duration> delays = new ArrayList<>();
  private final AtomicInteger writes = new AtomicInteger();
  private final TranscriptWrites transcript = new TranscriptWrites((after, task) -> {
    delays.add(after);
    scheduled.add(task);
  }, writes::incrementAndGet);

  @Test
  void linesBeforeTheWriteShareItAndALaterLineArmsAnother() {
    transcript.lineAdded();
    transcript.lineAdded();
    transcript.lineAdded();
    assertThat(scheduled).hasSize(1);
    assertThat(delays).containsExactly(TranscriptWrites.BATCH);
    assertThat(writes).hasValue(0);

    scheduled.get(0).run();
    assertThat(writes).hasValue(1);

    transcript.lineAdded();
    assertThat(scheduled).hasSize(2);
    scheduled.get(1).run();
    assertThat(writes).hasValue(2);
  }
}
