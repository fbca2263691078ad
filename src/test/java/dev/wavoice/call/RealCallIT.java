package dev.wavoice.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.Fixtures;
import dev.wavoice.testkit.app.AdminClient;
import dev.wavoice.testkit.app.RealKmsStack;
import dev.wavoice.testkit.app.Stacks;
import dev.wavoice.testkit.audio.Tones;
import dev.wavoice.testkit.caller.Caller;
import dev.wavoice.testkit.openai.DoubleSession;
import dev.wavoice.testkit.openai.Turn;
import dev.wavoice.testkit.whatsapp.GraphRequest;
import dev.wavoice.testkit.whatsapp.WebhookSender;
import dev.wavoice.testkit.whatsapp.WhatsAppOfferChecks;
import dev.wavoice.testkit.whatsapp.WhatsAppPeer;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.kurento.client.KurentoClient;
import org.kurento.client.MediaPipeline;

/**
 * Real calls: the WAR on Payara Micro answers through the real Kurento Media Server a peer that behaves
 * as WhatsApp does (ICE-lite: it only answers checks, so only a controlling, nominating Kurento connects it;
 * DTLS server; Opus 111) and a full-ICE WebRTC caller (a browser's shape, answered directly). {@code accept} follows
 * real media, the caller's tone reaches OpenAI, the agent's tone reaches the caller (checked by its
 * frequency and level, and that audio — silence included — flowed the whole time), and Meta's terminate
 * releases everything.
 */
@Tag("real-kms")
@ExtendWith(Stacks.class)
class RealCallIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int CALLER_TONE_HZ = 440;
  private static final double BOT_TONE_HZ = 660;
  private static final int CALL_SECONDS = 8;

  private static RealKmsStack stack;
  private static WebhookSender meta;
  private static AdminClient admin;

  @BeforeAll
  static void start(RealKmsStack real) {
    stack = real;
    meta = real.webhooks();
    admin = real.admin();
  }

  @AfterEach
  void noProtocolViolations() {
    stack.openai.assertNoViolations();
  }

  @Test
  void aWhatsAppCallIsAnsweredByRoleInversionWithKurentoControlling() {
    String callId = "wacid.RW" + UUID.randomUUID().toString().replace("-", "");
    int sessionsBefore = stack.openai.sessions().size();
    stack.openai.configureNextSession(s -> s.autoVad(false)
        .enqueue(Turn.of().audio(3000, BOT_TONE_HZ, "Hello from the agent.")));

    try (WhatsAppPeer whatsapp = WhatsAppPeer.offering(CALL_SECONDS, CALLER_TONE_HZ)) {
      String offer = whatsapp.awaitOffer();
      assertThat(WhatsAppOfferChecks.check(offer)).as(offer).isEmpty();
      assertThat(meta.send(Fixtures.connectWithOffer(callId, offer)).statusCode()).isEqualTo(200);

      // the answer goes to Meta in pre_accept (checked there against Meta's rules); WhatsApp takes it from there
      GraphRequest preAccept = Await.value(WAIT, "pre_accept",
          () -> stack.whatsapp.callActions(callId).stream().filter(r -> "pre_accept".equals(r.action())).findFirst().orElse(null));
      whatsapp.answer(preAccept.sdp());

      Await.until(WAIT, "accept", () -> stack.whatsapp.acceptedActions(callId).contains("accept"));
      List<GraphRequest> actions = stack.whatsapp.callActions(callId);
      assertThat(actions.get(1).sdp()).isEqualTo(preAccept.sdp());

      // the peer's tone reaches OpenAI; then the agent answers
      DoubleSession session = stack.openai.awaitSession(sessionsBefore, WAIT);
      Await.until(WAIT, "caller audio at OpenAI", () -> session.inputAudioBytes() >= 8_000);
      byte[] heardByOpenAi = session.inputAudio(); // audio/pcmu: the stack's codec
      short[] last = Tones.fromMulaw(heardByOpenAi, heardByOpenAi.length - 8_000, 8_000);
      assertThat(Tones.dominantHz(last, 8_000)).as("the peer's tone at OpenAI").isCloseTo(CALLER_TONE_HZ, Offset.offset(30.0));
      session.speechStarted();
      session.speechStopped();

      WhatsAppPeer.Report report = whatsapp.awaitReport(Duration.ofSeconds(CALL_SECONDS + 30));
      // WhatsApp is ICE-lite: only a controlling Kurento that nominates connects it
      assertThat(report.bindingRequestsSent()).as(report.raw()).isZero();
      assertThat(report.remoteControlling()).as("Kurento ICE-CONTROLLING: " + report.raw()).isTrue();
      assertThat(report.remoteNominated()).as("Kurento nominated: " + report.raw()).isTrue();
      assertThat(report.roleConflictResponses()).as(report.raw()).isZero();
      assertThat(report.dtlsConnected()).as(report.raw()).isTrue();
      assertThat(report.dtlsRole()).as("setup:active in our answer").isEqualTo("server");
      assertThat(report.dominantHz()).as("the agent heard by WhatsApp: " + report.raw()).isCloseTo(BOT_TONE_HZ, Offset.offset(25.0));
      assertThat(report.rmsDbfs()).as(report.raw()).isGreaterThan(-40.0);
      // media flowed all along, silence frames included (WhatsApp hangs up without media)
      assertThat(report.heardAudioMs()).as(report.raw()).isGreaterThan((CALL_SECONDS - 2) * 1000L);
      assertThat(report.exitCode()).as(whatsapp.log()).isZero();
    }
    JsonObject record = endedByMetaAndReleased(callId);
    // the real Kurento's events on the record: what an operator reads after a first real call
    assertThat(record.getBoolean("mediaAtAccept")).isTrue();
    Map<String, Long> at = CallFlowIT.timeline(record);
    assertThat(at).containsKeys("pre_accept_sent", "ice_connected", "dtls_connected", "media_connected", "first_caller_rtp",
        "accept_sent", "bridge_started", "first_bot_audio", "end");
    // (ICE and DTLS connected may be noted just after media_connected: Kurento's events come on several threads)
    assertThat(List.of(at.get("pre_accept_sent"), at.get("media_connected"), at.get("accept_sent"),
        at.get("bridge_started"), at.get("first_bot_audio"), at.get("end"))).isSorted();
  }

  @Test
  void aWhatsAppCallWhoseMediaNeverConnectsIsAcceptedAfterTheDelayThenEndedByTheMediaDeadline() {
    String callId = "wacid.RN" + UUID.randomUUID().toString().replace("-", "");
    try (WhatsAppPeer whatsapp = WhatsAppPeer.offering(CALL_SECONDS, CALLER_TONE_HZ)) {
      // WhatsApp's side never takes the answer: no ICE, no DTLS (as when the UDP ports are not reachable)
      assertThat(meta.send(Fixtures.connectWithOffer(callId, whatsapp.awaitOffer())).statusCode()).isEqualTo(200);
      Await.until(WAIT, "accept without media", () -> stack.whatsapp.acceptedActions(callId).contains("accept"));
      JsonObject record = Await.value(Duration.ofSeconds(60), "the call ended by the media deadline", () -> ended(callId));
      assertThat(record.getString("endReason")).isEqualTo("MEDIA_TIMEOUT");
      assertThat(record.getBoolean("mediaAtAccept")).isFalse();
      Map<String, Long> at = CallFlowIT.timeline(record);
      assertThat(at).containsKeys("pre_accept_sent", "accept_sent", "end").doesNotContainKeys("media_connected", "bridge_started");
      // the delay counts from pre_accept (default 5 s)
      assertThat(at.get("accept_sent") - at.get("pre_accept_sent")).isGreaterThanOrEqualTo(5_000);
      // accepted, so Meta is told terminate, not reject
      assertThat(stack.whatsapp.callActions(callId).stream().map(GraphRequest::action).toList())
          .containsExactly("pre_accept", "accept", "terminate");
    }
    pipelineReleased(callId);
  }

  @Test
  void aFullIceCallIsAnsweredDirectly() {
    String callId = "wacid.RC" + UUID.randomUUID().toString().replace("-", "");
    int sessionsBefore = stack.openai.sessions().size();
    // the agent speaks when the test says the caller stopped talking (the caller's tone never pauses)
    stack.openai.configureNextSession(s -> s.autoVad(false)
        .enqueue(Turn.of().audio(3000, BOT_TONE_HZ, "Hello from the agent.")));

    try (Caller caller = Caller.offering(CALL_SECONDS, CALLER_TONE_HZ)) {
      String offer = caller.awaitOffer();
      assertThat(meta.send(Fixtures.connectWithOffer(callId, offer)).statusCode()).isEqualTo(200);

      GraphRequest preAccept = Await.value(WAIT, "pre_accept",
          () -> stack.whatsapp.callActions(callId).stream().filter(r -> "pre_accept".equals(r.action())).findFirst().orElse(null));
      caller.answer(preAccept.sdp());

      // accept only after real ICE and DTLS, with the same answer
      Await.until(WAIT, "accept", () -> stack.whatsapp.acceptedActions(callId).contains("accept"));
      List<GraphRequest> actions = stack.whatsapp.callActions(callId);
      assertThat(actions.get(1).sdp()).isEqualTo(preAccept.sdp());

      DoubleSession session = stack.openai.awaitSession(sessionsBefore, WAIT);
      Await.until(WAIT, "caller audio at OpenAI", () -> session.inputAudioBytes() >= 8_000);
      session.speechStarted();
      session.speechStopped();

      Caller.Report report = caller.awaitReport(Duration.ofSeconds(CALL_SECONDS + 30));
      assertThat(report.dtlsConnected()).as(report.raw()).isTrue();
      assertThat(report.dominantHz()).as(report.raw()).isCloseTo(BOT_TONE_HZ, Offset.offset(25.0));
      assertThat(report.rmsDbfs()).as(report.raw()).isGreaterThan(-40.0);
      assertThat(report.receivedAudioMs()).as(report.raw()).isGreaterThan((CALL_SECONDS - 2) * 1000L);
    }
    endedByMetaAndReleased(callId);
  }

  private static JsonObject ended(String callId) {
    HttpResponse<String> r = admin.get("/api/calls/" + callId);
    JsonObject json = r.statusCode() == 200 ? Fixtures.parse(r.body()) : null;
    return json == null || json.getString("outcome").equals("IN_PROGRESS") ? null : json;
  }

  private JsonObject endedByMetaAndReleased(String callId) {
    assertThat(meta.send(Fixtures.withCallId("webhook-terminate-completed.json", callId)).statusCode()).isEqualTo(200);
    JsonObject record = Await.value(WAIT, "the record", () -> ended(callId));
    assertThat(record.getString("endReason")).isEqualTo("REMOTE_TERMINATE");
    assertThat(record.getJsonArray("transcript").toString()).contains("Hello from the agent.");
    assertThat(record.getJsonNumber("talkTimeMs").longValue()).isPositive();
    // recording is off in this stack: no recording to serve
    assertThat(admin.get("/api/calls/" + callId + "/recording").statusCode()).isEqualTo(404);

    pipelineReleased(callId);
    return record;
  }

  private static void pipelineReleased(String callId) {
    KurentoClient kurento = KurentoClient.create(stack.kms.url());
    try {
      Await.until(WAIT, "the call's pipeline released on Kurento", () -> kurento.getServerManager().getPipelines().stream()
          .noneMatch((MediaPipeline p) -> p.getTags().stream().anyMatch(t -> callId.equals(t.getValue()))));
    } finally {
      kurento.destroy();
    }
  }
}
