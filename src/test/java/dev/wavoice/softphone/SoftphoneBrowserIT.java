package dev.wavoice.softphone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.app.AdminClient;
import dev.wavoice.testkit.app.RealKmsStack;
import dev.wavoice.testkit.app.Stacks;
import dev.wavoice.testkit.audio.Tones;
import dev.wavoice.testkit.browser.Chromium;
import dev.wavoice.testkit.browser.Pages;
import dev.wavoice.testkit.openai.DoubleSession;
import dev.wavoice.testkit.openai.Turn;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.kurento.client.KurentoClient;
import org.kurento.client.MediaPipeline;
import org.openqa.selenium.By;
import org.openqa.selenium.WindowType;

/**
 * The softphone and the console in headless Chromium against the WAR on Payara Micro with the real
 * Kurento Media Server and the OpenAI double: Chromium's fake microphone (a 440 Hz tone) calls the agent
 * through kurento-utils and the signalling WebSocket; the tone reaches OpenAI, the agent's 660 Hz answer
 * comes back (WebRTC statistics: inbound bytes and level), the console shows the call and its transcript
 * live, hang-up ends it and the record appears. Bad input: a wrong token, and a call while Kurento is down.
 * Screenshots of every page go to {@code target/screenshots/}.
 */
@Tag("browser")
@ExtendWith(Stacks.class)
class SoftphoneBrowserIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int MIC_TONE_HZ = 440;
  private static final double BOT_TONE_HZ = 660;

  private static RealKmsStack stack;
  private static AdminClient admin;
  private static Chromium chromium;
  private static Pages pages;

  @BeforeAll
  static void start(RealKmsStack real) {
    stack = real;
    admin = real.admin();
    chromium = Chromium.start(MIC_TONE_HZ);
    pages = new Pages(chromium, real.app.baseUrl());
  }

  @AfterAll
  static void stop() {
    if (chromium != null) {
      chromium.close();
    }
  }

  @AfterEach
  void noProtocolViolations() {
    stack.openai.assertNoViolations();
  }

  @Test
  void aSoftphoneCallReachesTheAgentAndTheConsoleFollowsIt() {
    int sessionsBefore = stack.openai.sessions().size();
    // the agent answers when the test says the caller stopped talking (the microphone's tone never pauses)
    stack.openai.configureNextSession(s -> s.autoVad(false).recordInputAudio(true)
        .enqueueCallerTranscript("Hello, is this the agent?")
        .enqueue(Turn.of().audio(4000, BOT_TONE_HZ, "Hello from the agent.")));

    // the console in one tab, signed in
    String consoleTab = chromium.driver().getWindowHandle();
    pages.openConsole();
    pages.signIn(RealKmsStack.ADMIN_TOKEN);
    pages.awaitText(By.id("feed-state"), "Live feed: connected");
    pages.awaitText(By.id("status"), "Kurento (KMS): UP");

    // the softphone in another tab (the token is kept per tab: sign in there too)
    chromium.driver().switchTo().newWindow(WindowType.TAB);
    String softphoneTab = chromium.driver().getWindowHandle();
    pages.openSoftphone();
    pages.signIn(RealKmsStack.ADMIN_TOKEN);
    pages.click(By.id("call"));
    pages.awaitText(By.id("call-state"), "Connected: talking to the agent");
    String callId = pages.awaitText(By.id("call-id"), "softphone-");
    assertThat(chromium.script("return window.wavoiceSoftphone.peer.peerConnection.getConfiguration().iceServers.length;"))
        .as("ICE servers (kurento-utils would add public STUN servers)").isEqualTo(0L);

    // the microphone's tone reaches OpenAI through Kurento and the bridge
    DoubleSession session = stack.openai.awaitSession(sessionsBefore, WAIT);
    Await.until(WAIT, "the microphone's audio at OpenAI", () -> session.inputAudioBytes() >= 16_000);
    assertThat(pages.softphoneBytesSent()).isPositive();
    assertThat(dominantHz(session)).as("the tone OpenAI heard").isCloseTo(MIC_TONE_HZ, Offset.offset(25.0));
    session.speechStarted();
    session.speechStopped();

    // the agent's answer arrives in the browser: inbound audio bytes and a level above silence
    Map<?, ?> inbound = Await.value(WAIT, "the agent's audio in the browser", () -> {
      Map<?, ?> stats = pages.softphoneInboundAudio();
      return stats != null && ((Number) stats.get("bytesReceived")).longValue() > 8_000
          && ((Number) stats.get("audioLevel")).doubleValue() > 0.01 ? stats : null;
    });
    assertThat(((Number) inbound.get("packetsReceived")).longValue()).isGreaterThan(50);
    pages.awaitText(By.id("bot-level-text"), "kB received");
    pages.awaitText(By.id("connection-state"), "connected");
    chromium.screenshot("softphone-in-call");
    chromium.windowSize(Chromium.PHONE);
    chromium.screenshot("softphone-in-call-phone");
    chromium.windowSize(Chromium.DESKTOP);

    // the console shows the live call and its transcript, pushed by the server
    chromium.driver().switchTo().window(consoleTab);
    By row = By.cssSelector("#calls tr[data-call='" + callId + "']");
    assertThat(pages.awaitText(row, "in conversation")).contains("Softphone (browser)", "softphone", "pcmu");
    By transcript = By.cssSelector("#transcripts article[data-call='" + callId + "']");
    pages.awaitText(transcript, "Agent: Hello from the agent.");
    pages.awaitText(transcript, "Caller: Hello, is this the agent?");
    chromium.screenshot("console-live-call");
    chromium.windowSize(Chromium.PHONE);
    chromium.screenshot("console-live-call-phone");
    chromium.windowSize(Chromium.DESKTOP);

    // hang up in the softphone: the call ends through the one end path and its record appears
    chromium.driver().switchTo().window(softphoneTab);
    pages.click(By.id("hang-up"));
    pages.awaitText(By.id("call-state"), "Ended: you hung up.");
    chromium.screenshot("softphone-ended");

    chromium.driver().switchTo().window(consoleTab);
    By record = By.cssSelector("#records tr[data-call='" + callId + "']");
    assertThat(pages.awaitText(record, "REMOTE_TERMINATE")).contains("COMPLETED", "softphone");
    pages.awaitText(By.id("calls"), "No live calls.");
    pages.awaitText(transcript, "(ended)");
    pages.click(By.cssSelector("#records tr[data-call='" + callId + "'] button"));
    pages.awaitText(By.id("record-detail"), "Hello from the agent.");
    chromium.screenshot("console-record");
    chromium.windowSize(Chromium.PHONE);
    chromium.screenshot("console-record-phone");
    chromium.windowSize(Chromium.DESKTOP);

    JsonObject stored = admin.call(callId);
    assertThat(stored.getString("channel")).isEqualTo("softphone");
    assertThat(stored.getString("endReason")).isEqualTo("REMOTE_TERMINATE");
    assertThat(stored.getString("endDetail")).isEqualTo("the softphone hung up");
    assertThat(stored.getJsonNumber("talkTimeMs").longValue()).isPositive();
    assertThat(stored.getJsonArray("transcript").toString()).contains("Hello from the agent.");
    assertThat(stack.whatsapp.callActions(callId)).as("Graph API calls for a softphone call").isEmpty();
    assertThat(stack.app.get("/metrics").body().lines())
        .anyMatch(l -> l.startsWith("wavoice_calls_ended_total{") && l.contains("reason=\"REMOTE_TERMINATE\""));
    assertPipelineReleased(callId);

    chromium.driver().close(); // the console tab
    chromium.driver().switchTo().window(softphoneTab);
  }

  @Test
  void aWrongTokenIsRefusedWithAClearMessage() {
    pages.openSoftphone();
    chromium.script("sessionStorage.clear();");
    pages.openSoftphone();
    pages.signIn("not-the-token");
    assertThat(pages.awaitText(By.id("sign-in-message"), "Wrong admin token")).contains("wavoice.admin.token");
    assertThat(pages.visible(By.id("token")).isDisplayed()).isTrue();
    chromium.screenshot("softphone-wrong-token");

    // a tab whose token went stale: the signalling refuses it and the page says so
    chromium.script("sessionStorage.setItem('wavoice.admin-token', 'a-stale-token');");
    pages.openSoftphone();
    pages.click(By.id("call"));
    assertThat(pages.awaitText(By.id("sign-in-message"), "Wrong admin token")).isNotBlank();
    chromium.script("sessionStorage.clear();");
  }

  @Test
  void aCallWhileKurentoIsDownSaysWhyItFailed() {
    pages.openSoftphone();
    chromium.script("sessionStorage.clear();");
    pages.openSoftphone();
    pages.signIn(RealKmsStack.ADMIN_TOKEN);
    pages.visible(By.id("call"));
    stack.kms.stop();
    try {
      Await.until(WAIT, "readiness to report Kurento down", () -> stack.app.get("/health/ready").statusCode() == 503);
      pages.click(By.id("call"));
      String state = pages.awaitText(By.id("call-state"), "Ended: KMS_UNAVAILABLE");
      assertThat(state).contains("no Kurento Media Server is connected");
      chromium.screenshot("softphone-kms-down");

      pages.openConsole();
      pages.awaitText(By.id("status"), "Kurento (KMS): DOWN");
      pages.awaitText(By.id("records"), "KMS_UNAVAILABLE");
      chromium.screenshot("console-kms-down");
    } finally {
      stack.kms.startAgain();
      Await.until(Duration.ofSeconds(60), "wavoice to reconnect to Kurento", () -> {
        HttpResponse<String> ready = stack.app.get("/health/ready");
        return ready.statusCode() == 200;
      });
    }
  }

  /** The dominant frequency of what OpenAI received, in the session's input format (G.711 µ-law or PCM16 24 kHz). */
  private static double dominantHz(DoubleSession session) {
    byte[] audio = session.inputAudio();
    if (session.config().toString().contains("audio/pcmu")) {
      return Tones.dominantHz(Tones.fromMulaw(audio, 0, audio.length), 8_000);
    }
    short[] pcm = new short[audio.length / 2];
    ByteBuffer.wrap(audio).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(pcm);
    return Tones.dominantHz(pcm, 24_000);
  }

  private static void assertPipelineReleased(String callId) {
    KurentoClient kurento = KurentoClient.create(stack.kms.url());
    try {
      Await.until(WAIT, "the call's pipeline released on Kurento", () -> kurento.getServerManager().getPipelines().stream()
          .noneMatch((MediaPipeline p) -> p.getTags().stream().anyMatch(t -> callId.equals(t.getValue()))));
    } finally {
      kurento.destroy();
    }
  }
}
