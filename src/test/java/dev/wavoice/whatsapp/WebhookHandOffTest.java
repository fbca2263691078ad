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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/**
 * A webhook delivery counts as seen only once a thread took it: when the asynchronous firing is refused
 * the dispatch says so (the webhook answers 500 to it) and Meta's redelivery of the same body is
 * processed, once.
 */
class WebhookHandOffTest {

  private static final String SECRET = "test-app-secret-handoff";

  /** CDI's event as the app sees it, refusing firings while {@code refusing} (no thread free). */
  static final class Firings<T> implements Event<T> {
    final List<T> taken = new CopyOnWriteArrayList<>();
    volatile boolean refusing;

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
      if (refusing) {
        throw new RejectedExecutionException("no thread free");
      }
      taken.add(event);
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

  private final Firings<CallWebhookReceived> calls = new Firings<>();
  private final WebhookDispatcher dispatcher;

  WebhookHandOffTest() {
    WhatsAppConfig config = new WhatsAppConfig(MapConfig.of(WhatsAppConfig.PHONE_NUMBER_ID, "436666719526789"));
    dispatcher = new WebhookDispatcher(calls, new Firings<>(), new Firings<>(), config, null, Clock.systemUTC());
    dispatcher.init(() -> { });
  }

  private int deliver(String body) {
    return dispatcher.dispatch(WireJson.create().fromJson(body, WebhookPayload.class));
  }

  @Test
  void aDeliveryNoThreadTookIsNotSeenAndItsRedeliveryIsProcessedOnce() {
    String terminate = Fixtures.withCallId("webhook-terminate-completed.json", "wacid.HANDOFF1");
    calls.refusing = true;
    assertThatThrownBy(() -> deliver(terminate)).isInstanceOf(DeliveryDeduplicator.HandOffRefused.class);
    assertThat(calls.taken).isEmpty();

    calls.refusing = false;
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
    calls.refusing = true;
    assertThatThrownBy(() -> deliver(connect.replace("wacid.HANDOFF2", "wacid.HANDOFF3")))
        .isInstanceOf(DeliveryDeduplicator.HandOffRefused.class);
    calls.refusing = false;
    assertThat(deliver(connect)).as("the one taken stays seen").isZero();
    assertThat(deliver(connect.replace("wacid.HANDOFF2", "wacid.HANDOFF3"))).isEqualTo(1);
    assertThat(calls.taken).extracting(e -> e.call().id()).containsExactly("wacid.HANDOFF2", "wacid.HANDOFF3");
  }
}
