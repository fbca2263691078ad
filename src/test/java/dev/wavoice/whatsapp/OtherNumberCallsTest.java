package dev.wavoice.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Calls for another phone number: counted every time, logged at most once a minute. */
class OtherNumberCallsTest {

  private static final String OURS = "436666719526789";
  private static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");

  private final Logger log = Logger.getLogger(OtherNumberCalls.class.getName());
  private final List<String> logged = new CopyOnWriteArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      logged.add(record.getMessage());
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @BeforeEach
  void listen() {
    log.addHandler(capture);
  }

  @AfterEach
  void stopListening() {
    log.removeHandler(capture);
  }

  @Test
  void ourNumberPassesAndOthersAreCountedAndLoggedAtMostOnceAMinute() {
    AtomicInteger counted = new AtomicInteger();
    Instant[] now = {T0};
    OtherNumberCalls calls = new OtherNumberCalls(OURS, counted::incrementAndGet, clockAt(now));

    assertThat(calls.ignore(OURS, "wacid.ours")).isFalse();
    for (int i = 0; i < 100; i++) {
      assertThat(calls.ignore("111222333", "wacid.flood" + i)).isTrue();
    }
    assertThat(calls.ignore(null, "wacid.nometadata")).isTrue();
    assertThat(counted).hasValue(101);
    assertThat(logged).singleElement().asString().contains("wacid.flood0", "111222333");

    now[0] = T0.plus(OtherNumberCalls.LOG_INTERVAL);
    assertThat(calls.ignore("111222333", "wacid.later")).isTrue();
    assertThat(logged).hasSize(2);
    assertThat(logged.get(1)).contains("wacid.later", "100 more");
  }

  @Test
  void withoutOurNumberConfiguredNothingIsFiltered() {
    AtomicInteger counted = new AtomicInteger();
    OtherNumberCalls calls = new OtherNumberCalls("", counted::incrementAndGet, clockAt(new Instant[] {T0}));
    assertThat(calls.ignore("111222333", "wacid.x")).isFalse();
    assertThat(counted).hasValue(0);
  }

  private static Clock clockAt(Instant[] now) {
    return new Clock() {
      @Override
      public Instant instant() {
        return now[0];
      }

      @Override
      public java.time.ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }
    };
  }
}
