package dev.wavoice.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.CallId;
import dev.wavoice.call.CallRegistry;
import dev.wavoice.call.LiveCallEvents;
import dev.wavoice.call.LiveSignals;
import dev.wavoice.testkit.Await;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.ws.rs.core.GenericType;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseBroadcaster;
import jakarta.ws.rs.sse.SseEventSink;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The console feed never makes a call wait for a watcher, drops a slow one, and bounds how many watch. */
class ConsoleFeedTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private final ExecutorService pool = Executors.newFixedThreadPool(2);
  private final AtomicInteger busyThreads = new AtomicInteger();
  private final LiveCallEvents live = new LiveCallEvents();
  private final ConsoleFeed feed = new ConsoleFeed(live, new CallRegistry(), managed(pool));

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  /** The work executor: runs tasks on the pool and counts the threads a task holds. */
  private ManagedExecutorService managed(ExecutorService delegate) {
    return (ManagedExecutorService) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ManagedExecutorService.class},
        (proxy, method, args) -> {
          if (method.getName().equals("execute")) {
            Runnable task = (Runnable) args[0];
            delegate.execute(() -> {
              busyThreads.incrementAndGet();
              try {
                task.run();
              } finally {
                busyThreads.decrementAndGet();
              }
            });
            return null;
          }
          throw new UnsupportedOperationException(method.getName());
        });
  }

  @Test
  void aWatcherWhoseWriteHangsHoldsNoThreadAndIsDroppedWhenItFallsTooFarBehind() {
    HangingSink slow = new HangingSink();
    assertThat(feed.watch(slow, new FakeSse())).isTrue();
    Await.until(WAIT, "the first write (the connected comment) in flight", () -> slow.sends.get() == 1);
    Await.until(WAIT, "the writer to let go of its thread", () -> busyThreads.get() == 0);
    CallId call = new CallId("wacid.feed-test");

    // every event a call publishes returns at once, however many, while the first write hangs
    for (int i = 0; i < ConsoleFeed.QUEUE + 10; i++) {
      LiveSignals.state(live, call, "ACTIVE");
    }

    assertThat(slow.sends.get()).as("one write in flight, the rest queued").isEqualTo(1);
    assertThat(busyThreads.get()).as("no thread waits for the write").isZero();
    assertThat(slow.closed.get()).as("dropped once " + ConsoleFeed.QUEUE + " behind").isTrue();
    assertThat(feed.watchers()).isZero();
  }

  @Test
  void whenAWriteCompletesTheNextFollows() {
    HangingSink sink = new HangingSink();
    feed.watch(sink, new FakeSse());
    Await.until(WAIT, "the connected comment in flight", () -> sink.sends.get() == 1);
    LiveSignals.state(live, new CallId("wacid.feed-test"), "ACTIVE");

    sink.pending.get(0).complete(null);
    Await.until(WAIT, "the state event written", () -> sink.sends.get() == 2);
    assertThat(sink.sent.get(1).getName()).isEqualTo("state");
  }

  @Test
  void moreThanTheMaximumOfWatchersAreRefusedWithTheirSinkUntouched() {
    for (int i = 0; i < ConsoleFeed.MAX_WATCHERS; i++) {
      assertThat(feed.watch(new HangingSink(), new FakeSse())).isTrue();
    }
    HangingSink refused = new HangingSink();
    assertThat(feed.watch(refused, new FakeSse())).isFalse();
    assertThat(refused.sends.get()).isZero();
    assertThat(refused.closed.get()).isFalse();
    assertThat(feed.watchers()).isEqualTo(ConsoleFeed.MAX_WATCHERS);
  }

  /** A connection whose writes complete only when the test says so. */
  private static final class HangingSink implements SseEventSink {
    final AtomicInteger sends = new AtomicInteger();
    final AtomicBoolean closed = new AtomicBoolean();
    final List<CompletableFuture<Void>> pending = new CopyOnWriteArrayList<>();
    final List<OutboundSseEvent> sent = new CopyOnWriteArrayList<>();

    @Override
    public boolean isClosed() {
      return closed.get();
    }

    @Override
    public CompletionStage<?> send(OutboundSseEvent event) {
      sends.incrementAndGet();
      sent.add(event);
      CompletableFuture<Void> write = new CompletableFuture<>();
      pending.add(write);
      return write;
    }

    @Override
    public void close() {
      closed.set(true);
    }
  }

  /** Just enough of JAX-RS's SSE to build events. */
  private static final class FakeSse implements Sse {
    @Override
    public OutboundSseEvent.Builder newEventBuilder() {
      return new Builder();
    }

    @Override
    public SseBroadcaster newBroadcaster() {
      throw new UnsupportedOperationException();
    }
  }

  private static final class Builder implements OutboundSseEvent.Builder {
    private String name;
    private String comment;
    private Object data;

    @Override
    public OutboundSseEvent.Builder id(String id) {
      return this;
    }

    @Override
    public OutboundSseEvent.Builder name(String name) {
      this.name = name;
      return this;
    }

    @Override
    public OutboundSseEvent.Builder reconnectDelay(long milliseconds) {
      return this;
    }

    @Override
    public OutboundSseEvent.Builder mediaType(MediaType mediaType) {
      return this;
    }

    @Override
    public OutboundSseEvent.Builder comment(String comment) {
      this.comment = comment;
      return this;
    }

    @Override
    public OutboundSseEvent.Builder data(Class type, Object data) {
      this.data = data;
      return this;
    }

    @Override
    public OutboundSseEvent.Builder data(GenericType type, Object data) {
      this.data = data;
      return this;
    }

    @Override
    public OutboundSseEvent.Builder data(Object data) {
      this.data = data;
      return this;
    }

    @Override
    public OutboundSseEvent build() {
      String n = name;
      String c = comment;
      Object d = data;
      return new OutboundSseEvent() {
        @Override
        public Class<?> getType() {
          return d == null ? null : d.getClass();
        }

        @Override
        public Type getGenericType() {
          return getType();
        }

        @Override
        public MediaType getMediaType() {
          return MediaType.TEXT_PLAIN_TYPE;
        }

        @Override
        public String getComment() {
          return c;
        }

        @Override
        public Object getData() {
          return d;
        }

        @Override
        public String getId() {
          return null;
        }

        @Override
        public String getName() {
          return n;
        }

        @Override
        public long getReconnectDelay() {
          return -1;
        }

        @Override
        public boolean isReconnectDelaySet() {
          return false;
        }
      };
    }
  }
}
