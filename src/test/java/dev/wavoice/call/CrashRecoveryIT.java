package dev.wavoice.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.Fixtures;
import dev.wavoice.testkit.app.AdminClient;
import dev.wavoice.testkit.app.CrashStack;
import dev.wavoice.testkit.app.Stacks;
import dev.wavoice.testkit.openai.Turn;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A crash mid-call: the app is killed (SIGKILL) while a call is live and started again on the same data.
 * The call's record is closed {@code INTERRUPTED} at the last moment it was known alive, keeps the
 * transcript spoken before the crash, and the pipeline the dead process left on Kurento is released.
 */
@Tag("doubles")
@ExtendWith(Stacks.class)
class CrashRecoveryIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int BOT_TONE_HZ = 660;
  private static final String CALL_ID_TAG = "wavoice.call-id";

  private CrashStack stack;

  @AfterEach
  void noProtocolViolations() {
    stack.openai.assertNoViolations();
  }

  @Test
  void aKilledAppClosesTheCallInterruptedKeepsItsTranscriptAndReleasesItsPipelineOnRestart(CrashStack stack) {
    this.stack = stack;
    AdminClient admin = stack.admin();
    String callId = "wacid.CR" + UUID.randomUUID().toString().replace("-", "");
    String spoken = "This line outlives the crash.";
    stack.openai.configureNextSession(s -> s.autoVad(false).enqueue(Turn.of().audio(1500, BOT_TONE_HZ, spoken)));

    assertThat(stack.webhooks().send(Fixtures.withCallId("webhook-connect-user-initiated.json", callId)).statusCode())
        .isEqualTo(200);
    Await.until(WAIT, "the call answered", () -> stack.whatsapp.acceptedActions(callId).contains("accept"));

    // while the call is live its record gets the agent's line, and a sweep marks the call alive after it
    Await.until(WAIT, "the line on the live record and a mark after it", () -> {
      JsonObject live = record(admin, callId);
      return lineAt(live, spoken).isPresent() && live.containsKey("lastAliveAt")
          && Instant.parse(live.getString("lastAliveAt")).isAfter(lineAt(live, spoken).get());
    });
    JsonObject beforeCrash = record(admin, callId);
    assertThat(beforeCrash.getString("outcome")).isEqualTo("IN_PROGRESS");
    // the live record comes from the app's cache (nanoseconds), the restarted app's from the database (microseconds)
    Instant spokenAt = lineAt(beforeCrash, spoken).orElseThrow().truncatedTo(ChronoUnit.MICROS);
    Instant markedAt = Instant.parse(beforeCrash.getString("lastAliveAt")).truncatedTo(ChronoUnit.MICROS);
    assertThat(stack.kms.pipelineTagged(CALL_ID_TAG, callId)).isPresent();

    stack.app.kill();
    Instant killed = Instant.now();
    assertThat(stack.kms.pipelineTagged(CALL_ID_TAG, callId)).as("a killed app releases nothing").isPresent();
    stack.app.startAgain();

    // the record of the dead process's call is closed at its last sign of life, with what was said
    Await.until(WAIT, "the record closed", () -> record(admin, callId).containsKey("endReason"));
    JsonObject closed = record(admin, callId);
    assertThat(closed.getString("endReason")).isEqualTo("INTERRUPTED");
    assertThat(closed.getString("outcome")).isEqualTo("FAILED");
    Instant endedAt = Instant.parse(closed.getString("endedAt"));
    assertThat(endedAt).isAfter(spokenAt).isAfterOrEqualTo(markedAt).isBeforeOrEqualTo(killed);
    assertThat(closed.getJsonNumber("talkTimeMs").longValue()).isPositive();
    assertThat(lineAt(closed, spoken)).hasValueSatisfying(at -> assertThat(at).isCloseTo(spokenAt, within(1, ChronoUnit.MICROS)));

    // the dead process's pipeline is released by the new one; Meta was told nothing (it ends the call itself)
    Await.until(WAIT, "the dead process's pipeline released", () -> stack.kms.pipelineTagged(CALL_ID_TAG, callId).isEmpty());
    assertThat(stack.whatsapp.acceptedActions(callId)).containsExactly("pre_accept", "accept");
    assertThat(admin.get("/api/calls").body()).isEqualTo("[]");
  }

  private static JsonObject record(AdminClient admin, String callId) {
    HttpResponse<String> response = admin.get("/api/calls/" + callId);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Fixtures.parse(response.body());
  }

  private static Optional<Instant> lineAt(JsonObject record, String text) {
    return record.getJsonArray("transcript").stream()
        .map(JsonValue::asJsonObject)
        .filter(l -> text.equals(l.getString("text")))
        .map(l -> Instant.parse(l.getString("at")))
        .findFirst();
  }
}
