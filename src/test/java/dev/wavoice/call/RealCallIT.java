package dev.wavoice.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.Fixtures;
import dev.wavoice.testkit.app.AdminClient;
import dev.wavoice.testkit.app.RealKmsStack;
import dev.wavoice.testkit.app.Stacks;
import dev.wavoice.testkit.caller.Caller;
import dev.wavoice.testkit.openai.DoubleSession;
import dev.wavoice.testkit.openai.Turn;
import dev.wavoice.testkit.whatsapp.GraphRequest;
import dev.wavoice.testkit.whatsapp.WebhookSender;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.kurento.client.KurentoClient;
import org.kurento.client.MediaPipeline;

/**
 * Real calls: the WAR on Payara Micro answers a WebRTC caller (real ICE, DTLS-SRTP, Opus) through the
 * real Kurento Media Server, with WhatsApp's ICE-lite offer shape and without it. {@code accept} follows
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
  void aWhatsAppStyleIceLiteCallIsAnsweredByRoleInversion() {
    call(true);
  }

  @Test
  void aFullIceCallIsAnsweredDirectly() {
    call(false);
  }

  private void call(boolean iceLite) {
    String callId = "wacid.RC" + UUID.randomUUID().toString().replace("-", "");
    int sessionsBefore = stack.openai.sessions().size();
    // the agent speaks when the test says the caller stopped talking (the caller's tone never pauses)
    stack.openai.configureNextSession(s -> s.autoVad(false)
        .enqueue(Turn.of().audio(3000, BOT_TONE_HZ, "Hello from the agent.")));

    try (Caller caller = Caller.offering(CALL_SECONDS, CALLER_TONE_HZ)) {
      String offer = caller.awaitOffer();
      if (iceLite) {
        offer = offer.replace("\r\nt=0 0\r\n", "\r\nt=0 0\r\na=ice-lite\r\n");
      }
      assertThat(meta.send(Fixtures.connectWithOffer(callId, offer)).statusCode()).isEqualTo(200);

      // the answer goes to Meta in pre_accept; the caller (WhatsApp's side) takes it from there
      GraphRequest preAccept = Await.value(WAIT, "pre_accept",
          () -> stack.whatsapp.callActions(callId).stream().filter(r -> "pre_accept".equals(r.action())).findFirst().orElse(null));
      caller.answer(preAccept.sdp());

      // accept only after real ICE and DTLS, with the same answer
      Await.until(WAIT, "accept", () -> stack.whatsapp.acceptedActions(callId).contains("accept"));
      List<GraphRequest> actions = stack.whatsapp.callActions(callId);
      assertThat(actions.get(1).sdp()).isEqualTo(preAccept.sdp());

      // the caller's tone reaches OpenAI; then the agent answers
      DoubleSession session = stack.openai.awaitSession(sessionsBefore, WAIT);
      Await.until(WAIT, "caller audio at OpenAI", () -> session.inputAudioBytes() >= 8_000);
      session.speechStarted();
      session.speechStopped();

      Caller.Report report = caller.awaitReport(Duration.ofSeconds(CALL_SECONDS + 30));
      assertThat(report.dtlsConnected()).as(report.raw()).isTrue();
      assertThat(report.dominantHz()).as(report.raw()).isCloseTo(BOT_TONE_HZ, org.assertj.core.data.Offset.offset(25.0));
      assertThat(report.rmsDbfs()).as(report.raw()).isGreaterThan(-40.0);
      // media flowed all along, silence frames included (WhatsApp hangs up without media)
      assertThat(report.receivedAudioMs()).as(report.raw()).isGreaterThan((CALL_SECONDS - 2) * 1000L);
    }

    assertThat(meta.send(Fixtures.withCallId("webhook-terminate-completed.json", callId)).statusCode()).isEqualTo(200);
    JsonObject record = Await.value(WAIT, "the record", () -> {
      HttpResponse<String> r = admin.get("/api/calls/" + callId);
      JsonObject json = r.statusCode() == 200 ? Fixtures.parse(r.body()) : null;
      return json == null || json.getString("outcome").equals("IN_PROGRESS") ? null : json;
    });
    assertThat(record.getString("endReason")).isEqualTo("REMOTE_TERMINATE");
    assertThat(record.getJsonArray("transcript").toString()).contains("Hello from the agent.");
    assertThat(record.getJsonNumber("talkTimeMs").longValue()).isPositive();
    // recording is off in this stack: no recording to serve
    assertThat(admin.get("/api/calls/" + callId + "/recording").statusCode()).isEqualTo(404);

    KurentoClient kurento = KurentoClient.create(stack.kms.url());
    try {
      Await.until(WAIT, "the call's pipeline released on Kurento", () -> kurento.getServerManager().getPipelines().stream()
          .noneMatch((MediaPipeline p) -> p.getTags().stream().anyMatch(t -> callId.equals(t.getValue()))));
    } finally {
      kurento.destroy();
    }
  }
}
