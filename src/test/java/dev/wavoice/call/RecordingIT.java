package dev.wavoice.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.Fixtures;
import dev.wavoice.testkit.app.AdminClient;
import dev.wavoice.testkit.app.RealKmsStack;
import dev.wavoice.testkit.app.RecordingKmsStack;
import dev.wavoice.testkit.app.Stacks;
import dev.wavoice.testkit.audio.OggOpusReader;
import dev.wavoice.testkit.audio.Tones;
import dev.wavoice.testkit.browser.Chromium;
import dev.wavoice.testkit.browser.Pages;
import dev.wavoice.testkit.caller.Caller;
import dev.wavoice.testkit.openai.DoubleSession;
import dev.wavoice.testkit.openai.Turn;
import dev.wavoice.testkit.whatsapp.GraphRequest;
import dev.wavoice.testkit.whatsapp.WebhookSender;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

/**
 * A recorded call through the real Kurento with a real WebRTC caller: the agent's first words are the
 * disclosure (asked for, and in the transcript); while the call is live it cannot be erased; afterwards
 * the recording is served to the admin, decodes completely in the JDK, holds the caller's tone on the
 * left and the agent's on the right, and is at least as long as the caller's audio that reached OpenAI;
 * the console's call view loads it in Chromium; erasing the call removes record, transcript and file.
 */
@Tag("real-kms")
@ExtendWith(Stacks.class)
class RecordingIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int CALLER_TONE_HZ = 440;
  private static final double AGENT_TONE_HZ = 660;
  private static final int CALL_SECONDS = 6;
  private static final String DISCLOSURE = "This call is recorded.";

  private static RecordingKmsStack stack;
  private static WebhookSender meta;
  private static AdminClient admin;

  @BeforeAll
  static void start(RecordingKmsStack recording) {
    stack = recording;
    meta = recording.real.webhooks();
    admin = recording.real.admin();
  }

  @AfterEach
  void noProtocolViolations() {
    stack.real.openai.assertNoViolations();
  }

  @Test
  void aRecordedCallIsDisclosedServedDecodableAndErasable() throws Exception {
    String callId = "wacid.REC" + UUID.randomUUID().toString().replace("-", "");
    int sessionsBefore = stack.real.openai.sessions().size();
    stack.real.openai.configureNextSession(s -> s.autoVad(false)
        .enqueue(Turn.of().audio(1500, AGENT_TONE_HZ, DISCLOSURE)));
    long callerAudioMs;

    try (Caller caller = Caller.offering(CALL_SECONDS, CALLER_TONE_HZ)) {
      assertThat(meta.send(Fixtures.connectWithOffer(callId, caller.awaitOffer())).statusCode()).isEqualTo(200);
      GraphRequest preAccept = Await.value(WAIT, "pre_accept", () -> stack.real.whatsapp.callActions(callId).stream()
          .filter(r -> "pre_accept".equals(r.action())).findFirst().orElse(null));
      caller.answer(preAccept.sdp());
      Await.until(WAIT, "accept", () -> stack.real.whatsapp.acceptedActions(callId).contains("accept"));

      DoubleSession session = stack.real.openai.awaitSession(sessionsBefore, WAIT);
      Await.until(WAIT, "the disclosure asked for", () -> !session.received("response.create").isEmpty());
      assertThat(session.received("response.create").get(0).getJsonObject("response").getString("instructions"))
          .contains(DISCLOSURE);
      Await.until(WAIT, "caller audio at OpenAI", () -> session.inputAudioBytes() >= 8_000);

      HttpResponse<String> live = admin.delete("/api/calls/" + callId);
      assertThat(live.statusCode()).as(live.body()).isEqualTo(409);
      assertThat(Fixtures.parse(live.body()).getString("error")).isEqualTo("call_live");

      Caller.Report report = caller.awaitReport(Duration.ofSeconds(CALL_SECONDS + 30));
      assertThat(report.dominantHz()).as(report.raw()).isCloseTo(AGENT_TONE_HZ, org.assertj.core.data.Offset.offset(25.0));
      callerAudioMs = session.inputAudioBytes() / 8; // µ-law, 8 bytes a millisecond
    }

    assertThat(meta.send(Fixtures.withCallId("webhook-terminate-completed.json", callId)).statusCode()).isEqualTo(200);
    JsonObject record = Await.value(WAIT, "the record", () -> {
      HttpResponse<String> r = admin.get("/api/calls/" + callId);
      JsonObject json = r.statusCode() == 200 ? Fixtures.parse(r.body()) : null;
      return json == null || json.getString("outcome").equals("IN_PROGRESS") ? null : json;
    });
    assertThat(record.getJsonArray("transcript").getJsonObject(0).getString("text")).isEqualTo(DISCLOSURE);
    assertThat(record.getJsonArray("errors").toString()).doesNotContain("recording");

    HttpResponse<byte[]> served = admin.getBytes("/api/calls/" + callId + "/recording");
    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(served.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("audio/ogg"));
    Path file;
    try (var files = Files.list(stack.recordings())) {
      file = files.filter(f -> f.getFileName().toString().startsWith(callId)).findFirst().orElseThrow();
    }
    assertThat(served.body()).isEqualTo(Files.readAllBytes(file));
    OggOpusReader.Decoded audio = OggOpusReader.decode(served.body());
    assertThat(audio.seconds() * 1000).as("the recording against the caller's audio at OpenAI (" + callerAudioMs + " ms)")
        .isGreaterThanOrEqualTo(callerAudioMs);
    long lengthMs = (long) (audio.seconds() * 1000);
    assertThat(Tones.dominantHz(audio.slice(0, 1000, lengthMs - 1000), OggOpusReader.RATE))
        .as("the caller's tone on the left").isCloseTo(CALLER_TONE_HZ, org.assertj.core.data.Offset.offset(25.0));
    assertThat(Tones.rmsDbfs(audio.slice(0, 1000, lengthMs - 1000))).isGreaterThan(-40);
    // the agent's side: the disclosure's 1.5 s of tone (75 frames), silence otherwise. Its frames are in
    // the order and at the ticks the pacer sent them: a late pacer on a loaded machine leaves a gap that
    // the caller heard too, so the tone is counted frame by frame, not as one span
    StringBuilder levels = new StringBuilder();
    int loudFrames = 0;
    int runFrom = -1;
    int bestFrom = 0;
    int bestTo = 0;
    for (int at = 0; at + 20 <= lengthMs; at += 20) {
      double level = Tones.rmsDbfs(audio.slice(1, at, at + 20));
      if (at % 100 == 0) {
        levels.append(at).append(':').append(Math.max(-99, Math.round(level))).append(' ');
      }
      if (level > -40) {
        loudFrames++;
        runFrom = runFrom < 0 ? at : runFrom;
        if (at + 20 - runFrom > bestTo - bestFrom) {
          bestFrom = runFrom;
          bestTo = at + 20;
        }
      } else {
        runFrom = -1;
      }
    }
    assertThat(loudFrames * 20).as("the agent's tone, ms (dBFS per 100 ms: " + levels + ")").isBetween(1400, 1560);
    assertThat(bestTo - bestFrom).as("its longest stretch: " + levels).isGreaterThanOrEqualTo(300);
    assertThat(Tones.dominantHz(audio.slice(1, bestFrom + 40, bestTo - 40), OggOpusReader.RATE))
        .as("the agent's tone on the right").isCloseTo(AGENT_TONE_HZ, org.assertj.core.data.Offset.offset(25.0));
    // while both speak, Opus's stereo coding lets some of the right bleed into the left (a zero-crossing
    // estimate of that mix once read 505 Hz): the caller's tone must still rule the left, 10 dB over the agent's
    short[] left = audio.slice(0, bestFrom + 40, bestTo - 40);
    assertThat(Tones.power(left, CALLER_TONE_HZ, OggOpusReader.RATE))
        .as("meanwhile the caller's tone on the left, over the agent's")
        .isGreaterThan(10 * Tones.power(left, AGENT_TONE_HZ, OggOpusReader.RATE));

    // the console's call view plays it: Chromium loads the file (fetched with the token) as audio
    try (Chromium chromium = Chromium.start(CALLER_TONE_HZ)) {
      Pages pages = new Pages(chromium, stack.real.app.baseUrl());
      pages.openConsole();
      pages.signIn(RealKmsStack.ADMIN_TOKEN);
      pages.click(By.cssSelector("#records tr[data-call='" + callId + "'] button"));
      pages.awaitText(By.id("record-detail"), "Caller on the left, agent on the right.");
      Object seconds = chromium.await("const a = document.querySelector('#record-detail audio');"
          + "if (a.readyState < 1) await new Promise((ok, ko) => { a.onloadedmetadata = ok;"
          + " a.onerror = () => ko(new Error('audio error ' + (a.error && a.error.code))); });"
          + "return a.duration;");
      assertThat(((Number) seconds).doubleValue()).as("the duration Chromium reads").isCloseTo(audio.seconds(),
          org.assertj.core.data.Offset.offset(0.5));
      chromium.screenshot("console-recording");
    }

    assertThat(admin.delete("/api/calls/" + callId).statusCode()).isEqualTo(204);
    assertThat(admin.get("/api/calls/" + callId).statusCode()).isEqualTo(404);
    assertThat(admin.getBytes("/api/calls/" + callId + "/recording").statusCode()).isEqualTo(404);
    assertThat(file).doesNotExist();
    assertThat(admin.delete("/api/calls/" + callId).statusCode()).isEqualTo(404);
    assertThat(admin.get("/api/records?limit=500").body()).doesNotContain(callId);
  }
}
