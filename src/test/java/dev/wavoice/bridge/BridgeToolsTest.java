package dev.wavoice.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.CallId;
import dev.wavoice.WireJson;
import dev.wavoice.audio.AudioCodec;
import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.openai.DoubleSession;
import dev.wavoice.testkit.openai.Turn;
import dev.wavoice.testkit.whatsapp.WhatsAppCloudDouble;
import dev.wavoice.whatsapp.GraphApi;
import dev.wavoice.whatsapp.GraphSettings;
import jakarta.json.JsonObject;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Tools through the real bridge: {@code send_whatsapp_message} texts the caller through the WhatsApp
 * double (the bridge wires the caller's WhatsApp id), a tool of a cancelled response never runs, and
 * {@code end_call} ends the call only once the goodbye has gone out on RTP.
 */
class BridgeToolsTest {

  static final String PHONE_NUMBER_ID = "436666719526789";

  final WhatsAppCloudDouble meta = WhatsAppCloudDouble.start("graph-token", PHONE_NUMBER_ID);
  final GraphApi graph = new GraphApi(new GraphSettings(meta.baseUrl(), "v23.0", PHONE_NUMBER_ID, "graph-token",
      Duration.ofSeconds(2), 0, Duration.ofMillis(50), GraphSettings.DEFAULT_END_BUDGET), HttpClient.newHttpClient(), WireJson.create(), d -> {});
  final RecordingMetrics metrics = new RecordingMetrics();
  BridgeHarness h = new BridgeHarness(UnaryOperator.identity(), BridgeSettings.defaults(), graph, metrics);

  @AfterEach
  void close() {
    h.close();
    meta.close();
  }

  void endCallSettings(Duration drainTimeout, Duration tail) {
    h.close();
    h = new BridgeHarness(UnaryOperator.identity(), new BridgeSettings(BridgeSettings.defaults().appendBatchMs(), BridgeSettings.defaults().playoutDelayMs(), drainTimeout, tail), graph, metrics);
  }

  @Test
  void sendWhatsAppMessageTextsTheCallerAndTheAnswerPlays() {
    h.openai.enqueue(Turn.of().functionCall("send_whatsapp_message", "{\"text\":\"Your code is 4471.\"}"));
    h.openai.enqueue(Turn.of().audio(300, 440, "I have sent you the code."));
    RealtimeCallBridge bridge = h.started(AudioCodec.PCMU);
    DoubleSession remote = h.openai.awaitSession(0, BridgeHarness.WAIT);
    assertThat(remote.received("session.update").get(0).getJsonObject("session").getJsonArray("tools").stream()
        .map(t -> t.asJsonObject().getString("name")).toList()).containsExactly("end_call", "send_whatsapp_message");
    bridge.session().requestResponse();

    Await.until(BridgeHarness.WAIT, "the answer after the tool queued", () -> bridge.audio().outbound().queuedMs() == 300);
    assertThat(meta.requests()).singleElement().satisfies(r -> {
      assertThat(r.path()).isEqualTo("/" + PHONE_NUMBER_ID + "/messages");
      assertThat(r.body().getString("to")).isEqualTo(BridgeHarness.CALLER);
      assertThat(r.body().getJsonObject("text").getString("body")).isEqualTo("Your code is 4471.");
    });
    JsonObject output = remote.received("conversation.item.create").get(0).getJsonObject("item");
    assertThat(output.getString("type")).isEqualTo("function_call_output");
    assertThat(output.getString("output")).startsWith("{\"status\":\"sent\"");
    for (int i = 0; i < 15; i++) {
      assertThat(BargeInTest.silent(h.tick())).isFalse();
    }
    assertThat(metrics.events).contains("tool ok");
  }

  @Test
  void aSoftphoneCallerHasNoWhatsAppIdSoTheToolIsNotOffered() {
    RealtimeCallBridge bridge = h.bridge(new CallContext(new CallId("softphone-1"), "softphone", null, null, AudioCodec.PCMU));
    bridge.prepare().toCompletableFuture().join();
    DoubleSession remote = h.openai.awaitSession(0, BridgeHarness.WAIT);
    assertThat(remote.received("session.update").get(0).getJsonObject("session").getJsonArray("tools").stream()
        .map(t -> t.asJsonObject().getString("name")).toList()).containsExactly("end_call");
  }

  @Test
  void aToolCallOfAResponseTheCallerCutIsNeverRun() {
    h.openai.enqueue(Turn.of().functionCall("send_whatsapp_message", "{\"text\":\"Should never be sent.\"}").held());
    RealtimeCallBridge bridge = h.started(AudioCodec.PCMU);
    DoubleSession remote = h.openai.awaitSession(0, BridgeHarness.WAIT);
    bridge.session().requestResponse();
    Await.until(BridgeHarness.WAIT, "the call's arguments", () -> !remote.sent("response.function_call_arguments.done").isEmpty());
    remote.speechStarted(); // turn detection cancels the response
    Await.until(BridgeHarness.WAIT, "the tool reported as not run", () -> metrics.events.contains("tool skipped"));
    assertThat(remote.sent("response.done").get(0).getJsonObject("response").getString("status")).isEqualTo("cancelled");
    assertThat(meta.requests()).isEmpty();
    assertThat(remote.received("conversation.item.create")).isEmpty();
    assertThat(bridge.bargeIns()).isEqualTo(1);
  }

  @Test
  void endCallEndsTheCallOnlyOnceTheGoodbyeHasGoneOut() {
    endCallSettings(Duration.ofSeconds(10), Duration.ZERO);
    h.openai.enqueue(Turn.of().audio(400, 440, "Thank you for calling, goodbye!")
        .functionCall("end_call", "{\"reason\":\"the caller has what they needed\"}"));
    RealtimeCallBridge bridge = h.started(AudioCodec.PCMU);
    h.listener.snapshotOnEnd = () -> bridge.audio().stats().outbound().audioFramesSent();
    DoubleSession remote = h.openai.awaitSession(0, BridgeHarness.WAIT);
    bridge.session().requestResponse();
    Await.until(BridgeHarness.WAIT, "the goodbye queued and the tool answered",
        () -> bridge.audio().outbound().queuedMs() == 400 && !remote.received("conversation.item.create").isEmpty());

    for (int i = 0; i < 19; i++) {
      h.tick();
    }
    assertThat(h.listener.endRequests).as("ended with the goodbye's last frame still queued").isEmpty();
    h.tick();
    Await.until(BridgeHarness.WAIT, "the end request", () -> h.listener.endRequests.size() == 1);
    assertThat(h.listener.atEndRequest).containsExactly("20");
    assertThat(h.listener.endRequests).containsExactly("the caller has what they needed");
    assertThat(remote.received("response.create")).hasSize(1); // no answer to end_call's output
    assertThat(h.listener.failures).isEmpty();
  }

  @Test
  void aGoodbyeThatCannotPlayDoesNotHoldTheCallPastTheDrainTimeout() {
    endCallSettings(Duration.ofSeconds(1), Duration.ZERO);
    h.openai.enqueue(Turn.of().audio(400, 440, "Goodbye.").functionCall("end_call", "{\"reason\":\"done\"}"));
    RealtimeCallBridge bridge = h.bridge(AudioCodec.PCMU);
    bridge.prepare().toCompletableFuture().join();
    bridge.start(); // Kurento's address never came: nothing is sent, the queue never drains
    bridge.session().requestResponse();
    Await.until(BridgeHarness.WAIT, "the end request", () -> h.listener.endRequests.size() == 1);
    assertThat(bridge.audio().stats().outbound().audioFramesSent()).isZero();
    assertThat(h.listener.endRequests).containsExactly("done");
  }
}
