package dev.wavoice.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.Fixtures;
import dev.wavoice.testkit.app.AdminClient;
import dev.wavoice.testkit.app.RealKmsStack;
import dev.wavoice.testkit.app.Stacks;
import dev.wavoice.testkit.audio.Tones;
import dev.wavoice.testkit.openai.DoubleSession;
import dev.wavoice.testkit.openai.Turn;
import dev.wavoice.testkit.whatsapp.GraphRequest;
import dev.wavoice.testkit.whatsapp.OutgoingCallWebhooks;
import dev.wavoice.testkit.whatsapp.WhatsAppPeer;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.kurento.client.KurentoClient;
import org.kurento.client.MediaPipeline;

/**
 * Business-initiated calls with real media: wavoice's offer (made by the real Kurento) goes to Meta in
 * {@code connect}; a peer that behaves as WhatsApp does (ICE-lite, DTLS client of our {@code actpass},
 * Opus 111) answers it; Meta's statuses and its {@code connect} webhook with that answer follow. Kurento,
 * the offerer, controls and nominates; the agent greets and is heard by the user, the user's voice reaches
 * OpenAI (both checked by frequency); the call ends by the user's terminate or an operator's hang-up.
 */
@Tag("real-kms")
@ExtendWith(Stacks.class)
class RealOutboundCallIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int USER_TONE_HZ = 440;
  private static final double BOT_TONE_HZ = 660;
  private static final int CALL_SECONDS = 8;

  private static RealKmsStack stack;
  private static AdminClient admin;
  private static OutgoingCallWebhooks meta;

  @BeforeAll
  static void start(RealKmsStack real) {
    stack = real;
    admin = real.admin();
    meta = new OutgoingCallWebhooks(real.webhooks(), "it-real-outbound");
  }

  @AfterEach
  void noProtocolViolations() {
    stack.openai.assertNoViolations();
  }

  @Test
  void anOutgoingCallIsAnsweredByWhatsAppHeardBothWaysAndEndedByTheUser() {
    String user = newUser();
    String callId = answeredCall(user, (id, whatsapp, session) -> {
      WhatsAppPeer.Report report = whatsapp.awaitReport(Duration.ofSeconds(CALL_SECONDS + 30));
      assertThat(report.bindingRequestsSent()).as(report.raw()).isZero();
      assertThat(report.remoteControlling()).as("Kurento, the offerer, controls: " + report.raw()).isTrue();
      assertThat(report.remoteNominated()).as(report.raw()).isTrue();
      assertThat(report.dtlsConnected()).as(report.raw()).isTrue();
      assertThat(report.dtlsRole()).as("the answerer of an actpass offer with setup:active").isEqualTo("client");
      assertThat(report.dominantHz()).as("the agent heard by the user: " + report.raw()).isCloseTo(BOT_TONE_HZ, Offset.offset(25.0));
      assertThat(report.heardAudioMs()).as(report.raw()).isGreaterThan((CALL_SECONDS - 2) * 1000L);
    });
    meta.userHangsUp(callId, user);
    JsonObject record = ended(callId);
    assertThat(record.getString("endReason")).isEqualTo("REMOTE_TERMINATE");
    assertThat(record.getString("direction")).isEqualTo("OUTBOUND");
    assertThat(record.getString("to")).isEqualTo(user);
    assertThat(record.getJsonArray("transcript").toString()).contains("Hello, this is wavoice calling.");
    assertThat(record.getJsonNumber("talkTimeMs").longValue()).isPositive();
    // the user ended it: Meta is told nothing more
    assertThat(stack.whatsapp.callActions(callId).stream().map(GraphRequest::action)).doesNotContain("terminate");
    released(callId);
  }

  @Test
  void anOperatorHangsUpAnAnsweredOutgoingCallAndMetaIsTold() {
    String user = newUser();
    String callId = answeredCall(user, (id, whatsapp, session) -> {
      assertThat(admin.post("/api/calls/" + id + "/hangup", null).statusCode()).isEqualTo(202);
      whatsapp.awaitReport(Duration.ofSeconds(CALL_SECONDS + 30));
    });
    JsonObject record = ended(callId);
    assertThat(record.getString("endReason")).isEqualTo("OPERATOR_HANGUP");
    Await.until(WAIT, "terminate sent to Meta",
        () -> stack.whatsapp.callActions(callId).stream().anyMatch(r -> "terminate".equals(r.action())));
    released(callId);
  }

  private interface DuringCall {
    void run(String callId, WhatsAppPeer whatsapp, DoubleSession session);
  }

  /** Places a call to {@code user}, lets WhatsApp's side answer it, checks audio both ways, then {@code during}. */
  private static String answeredCall(String user, DuringCall during) {
    int sessionsBefore = stack.openai.sessions().size();
    stack.openai.configureNextSession(s -> s.autoVad(false)
        .enqueue(Turn.of().audio(3000, BOT_TONE_HZ, "Hello, this is wavoice calling.")));
    stack.whatsapp.grantCallPermission(user);
    HttpResponse<String> placed = admin.post("/api/calls", "{\"to\":\"+" + user + "\",\"bizOpaqueCallbackData\":\"it-real-outbound\"}");
    assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
    String callId = Fixtures.parse(placed.body()).getString("callId");
    String offer = stack.whatsapp.requests("calls/connect").stream().filter(r -> user.equals(r.body().getString("to", null)))
        .map(GraphRequest::sdp).findFirst().orElseThrow();

    try (WhatsAppPeer whatsapp = WhatsAppPeer.answering(offer, CALL_SECONDS, USER_TONE_HZ)) {
      String answer = whatsapp.awaitAnswer();
      meta.status(callId, user, "RINGING");
      meta.answer(callId, user, answer);
      meta.status(callId, user, "ACCEPTED");

      DoubleSession session = stack.openai.awaitSession(sessionsBefore, WAIT);
      Await.until(WAIT, "the user's audio at OpenAI", () -> session.inputAudioBytes() >= 16_000);
      byte[] heard = session.inputAudio(); // audio/pcmu: the stack's codec
      assertThat(Tones.dominantHz(Tones.fromMulaw(heard, heard.length - 8_000, 8_000), 8_000))
          .as("the user's tone at OpenAI").isCloseTo(USER_TONE_HZ, Offset.offset(30.0));
      session.speechStarted();
      session.speechStopped();
      during.run(callId, whatsapp, session);
    }
    return callId;
  }

  private static JsonObject ended(String callId) {
    return Await.value(WAIT, "the record of " + callId, () -> {
      HttpResponse<String> r = admin.get("/api/calls/" + callId);
      JsonObject json = r.statusCode() == 200 ? Fixtures.parse(r.body()) : null;
      return json == null || json.getString("outcome").equals("IN_PROGRESS") ? null : json;
    });
  }

  private static void released(String callId) {
    KurentoClient kurento = KurentoClient.create(stack.kms.url());
    try {
      Await.until(WAIT, "the call's pipeline released on Kurento", () -> kurento.getServerManager().getPipelines().stream()
          .noneMatch((MediaPipeline p) -> p.getTags().stream().anyMatch(t -> callId.equals(t.getValue()))));
    } finally {
      kurento.destroy();
    }
  }

  private static String newUser() {
    return "4915" + (100_000_000 + ThreadLocalRandom.current().nextInt(900_000_000));
  }
}
