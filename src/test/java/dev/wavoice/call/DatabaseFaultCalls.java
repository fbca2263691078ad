package dev.wavoice.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.Fixtures;
import dev.wavoice.testkit.app.DoublesStack;
import dev.wavoice.testkit.audio.Tones;
import dev.wavoice.testkit.kms.PipelineDouble;
import dev.wavoice.testkit.openai.DoubleSession;
import dev.wavoice.testkit.openai.Turn;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Calls the database fault tests drive on a doubles stack: answered, the agent heard, ended by Meta, and
 * what the app says about its database (readiness, metrics).
 */
final class DatabaseFaultCalls {

  static final Duration WAIT = Duration.ofSeconds(20);
  static final String GREETING = "Hello, this is the wavoice agent.";
  private static final double BOT_TONE_HZ = 660;

  private final DoublesStack stack;

  DatabaseFaultCalls(DoublesStack stack) {
    this.stack = stack;
  }

  /** A call the test drives: its OpenAI session and its Kurento pipeline. */
  final class Call {
    final String id;
    private final DoubleSession session;
    private final PipelineDouble pipeline;

    private Call(String id, DoubleSession session, PipelineDouble pipeline) {
      this.id = id;
      this.session = session;
      this.pipeline = pipeline;
    }

    /** The caller stops talking and the agent's greeting reaches the caller through Kurento. */
    void agentSpeaks() {
      session.speechStarted();
      session.speechStopped();
      Await.until(WAIT, "the agent's tone at the caller", () -> {
        short[] heard = pipeline.webRtc().heardByCaller();
        short[] tail = Arrays.copyOfRange(heard, Math.max(0, heard.length - 48_000), heard.length);
        return tail.length > 9_600 && Math.abs(Tones.dominantHz(tail, 48_000) - BOT_TONE_HZ) < 30;
      });
    }

    /** Meta's terminate; then the call left the live list, its pipeline was released and its OpenAI session closed. */
    void terminatedAndReleased() {
      assertThat(stack.webhooks().send(Fixtures.withCallId("webhook-terminate-completed.json", id)).statusCode()).isEqualTo(200);
      Await.until(WAIT, "the call ended", () -> !stack.admin().get("/api/calls").body().contains(id));
      Await.until(WAIT, "pipeline released", () -> stack.kms.pipelineTagged("wavoice.call-id", id).isEmpty());
      Await.until(WAIT, "OpenAI session closed", session::isClosed);
      assertThat(stack.whatsapp.acceptedActions(id)).containsExactly("pre_accept", "accept");
    }
  }

  /** Sends a connect and waits until the call is answered (accept sent) and its audio reaches OpenAI. */
  Call answer() {
    String callId = "wacid.DF" + UUID.randomUUID().toString().replace("-", "");
    int sessionsBefore = stack.openai.sessions().size();
    stack.openai.configureNextSession(s -> s.autoVad(false).enqueue(Turn.of().audio(1500, BOT_TONE_HZ, GREETING)));
    assertThat(stack.webhooks().send(Fixtures.withCallId("webhook-connect-user-initiated.json", callId)).statusCode())
        .isEqualTo(200);
    Await.until(WAIT, "pre_accept and accept of " + callId,
        () -> stack.whatsapp.acceptedActions(callId).equals(List.of("pre_accept", "accept")));
    DoubleSession session = stack.openai.awaitSession(sessionsBefore, WAIT);
    Await.until(WAIT, "caller audio at OpenAI", () -> session.inputAudioBytes() >= 8_000);
    PipelineDouble pipeline = stack.kms.pipelineTagged("wavoice.call-id", callId).orElseThrow();
    return new Call(callId, session, pipeline);
  }

  /** The {@code database} readiness check: its status, and its data. */
  JsonObject databaseCheck() {
    JsonObject health = Fixtures.parse(stack.app.get("/health/ready").body());
    for (JsonValue check : health.getJsonArray("checks")) {
      if (check.asJsonObject().getString("name").equals("database")) {
        return check.asJsonObject();
      }
    }
    throw new AssertionError("no database check in " + health);
  }

  String databaseReadiness() {
    return databaseCheck().getString("status");
  }

  double pendingWrites() {
    return metric("wavoice_record_writes_pending");
  }

  /** The value of an application metric in {@code /metrics} (summed over its labels). */
  double metric(String name) {
    return stack.app.get("/metrics").body().lines()
        .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  /** No live call left (the doubles' violations are checked by {@code Stacks} after each test). */
  void nothingLeftBehind() {
    Await.until(WAIT, "no live call left by the test", () -> stack.admin().get("/api/calls").body().equals("[]"));
  }
}
