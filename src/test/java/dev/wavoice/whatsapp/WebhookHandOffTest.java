package dev.wavoice.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wavoice.WireJson;
import dev.wavoice.testkit.Fixtures;
import dev.wavoice.testkit.MapConfig;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.NotificationOptions;
import jakarta.enterprise.util.TypeLiteral;
import java.lang.annotation.Annotation;
import java.time.Clock;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A webhook delivery is handed to the webhook's threads and fired there, not on the request's thread; it
 * counts as seen only once a thread took it: when the hand-off is refused the dispatch says so (the
 * webhook answers 500 to it) and Meta's redelivery of the same body is processed, once.
 */
class WebhookHandOffTest {

  /** The webhook's threads: tasks wait until {@link #runAll}; refused while {@code refusing} (no thread free). */
  static final class Threads extends WebhookWork {
    final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();
    volatile boolean refusing;

    @Override
    public void execute(Runnable task) {
      if (refusing) {
        throw new RejectedExecutionException("no thread free");
      }
      waiting.add(task);
    }

    void runAll() {
      for (Runnable task = waiting.poll(); task != null; task = waiting.poll()) {
        task.run();
      }
    }
  }

  /** CDI's event as the app sees it: keeps what was fired, on the thread that fired it. */
  static final class Firings<T> implements Event<T> {
    final List<T> taken = new CopyOnWriteArrayList<>();
    final List<Thread> firedOn = new CopyOnWriteArrayList<>();

    @Override
    public void fire(T event) {
      throw new UnsupportedOperationException("the dispatcher fires asynchronously");
    }

    @Override
    public <U extends T> CompletionStage<U> fireAsync(U event) {
      return fireAsync(event, null);
    }

    @Override
    public <U extends T> CompletionStage<U> fireAsync(U event, NotificationOptions options) {
      taken.add(event);
      firedOn.add(Thread.currentThread());
      return CompletableFuture.completedFuture(event);
    }

    @Override
    public Event<T> select(Annotation... qualifiers) {
      throw new UnsupportedOperationException();
    }

    @Override
    public <U extends T> Event<U> select(Class<U> subtype, Annotation... qualifiers) {
      throw new UnsupportedOperationException();
    }

    @Override
    public <U extends T> Event<U> select(TypeLiteral<U> subtype, Annotation... qualifiers) {
      throw new UnsupportedOperationException();
    }
  }

  private final Threads threads = new Threads();
  private final Firings<CallWebhookReceived> calls = new Firings<>();
  private final WebhookDispatcher dispatcher;

  WebhookHandOffTest() {
    WhatsAppConfig config = new WhatsAppConfig(MapConfig.of(WhatsAppConfig.PHONE_NUMBER_ID, "436666719526789"));
    dispatcher = new WebhookDispatcher(threads, calls, new Firings<>(), new Firings<>(), config, null, Clock.systemUTC());
    dispatcher.init(() -> { });
  }

  /** Dispatches a body as the webhook does, then lets the webhook's threads run what was handed to them. */
  private int deliver(String body) {
    int fired = dispatcher.dispatch(WireJson.create().fromJson(body, WebhookPayload.class));
    threads.runAll();
    return fired;
  }

  @Test
  void theEventIsFiredOnAWebhookThreadAfterTheDispatchReturned() throws Exception {
    String connect = Fixtures.withCallId("webhook-connect-user-initiated.json", "wacid.HANDOFF0");
    FutureTask<Integer> dispatched =
        new FutureTask<>(() -> dispatcher.dispatch(WireJson.create().fromJson(connect, WebhookPayload.class)));
    Thread request = Thread.ofPlatform().start(dispatched);
    assertThat(dispatched.get(10, TimeUnit.SECONDS)).as("events dispatched by the request").isEqualTo(1);
    request.join();
    assertThat(calls.taken).as("nothing fired on the request's thread").isEmpty();
    assertThat(threads.waiting).hasSize(1);

    threads.runAll();
    assertThat(calls.taken).extracting(e -> e.call().id()).containsExactly("wacid.HANDOFF0");
    assertThat(calls.firedOn).containsExactly(Thread.currentThread()).doesNotContain(request);
  }

  @Test
  void aDeliveryNoThreadTookIsNotSeenAndItsRedeliveryIsProcessedOnce() {
    String terminate = Fixtures.withCallId("webhook-terminate-completed.json", "wacid.HANDOFF1");
    threads.refusing = true;
    assertThatThrownBy(() -> deliver(terminate)).isInstanceOf(DeliveryDeduplicator.HandOffRefused.class);
    assertThat(calls.taken).isEmpty();

    threads.refusing = false;
    assertThat(deliver(terminate)).as("Meta's redelivery").isEqualTo(1);
    assertThat(calls.taken).hasSize(1);
    assertThat(calls.taken.get(0).call().id()).isEqualTo("wacid.HANDOFF1");
    assertThat(calls.taken.get(0).call().isTerminate()).isTrue();

    assertThat(deliver(terminate)).as("a further redelivery is a duplicate").isZero();
    assertThat(calls.taken).hasSize(1);
  }

  @Test
  void aRefusalForgetsOnlyTheDeliveryThatWasRefused() {
    String connect = Fixtures.withCallId("webhook-connect-user-initiated.json", "wacid.HANDOFF2");
    assertThat(deliver(connect)).isEqualTo(1);
    threads.refusing = true;
    assertThatThrownBy(() -> deliver(connect.replace("wacid.HANDOFF2", "wacid.HANDOFF3")))
        .isInstanceOf(DeliveryDeduplicator.HandOffRefused.class);
    threads.refusing = false;
    assertThat(deliver(connect)).as("the one taken stays seen").isZero();
    assertThat(deliver(connect.replace("wacid.HANDOFF2", "wacid.HANDOFF3"))).isEqualTo(1);
    assertThat(calls.taken).extracting(e -> e.call().id()).containsExactly("wacid.HANDOFF2", "wacid.HANDOFF3");
  }
}
