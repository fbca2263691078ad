package dev.wavoice.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.Fixtures;
import dev.wavoice.testkit.app.AdminClient;
import dev.wavoice.testkit.app.DoublesStack;
import dev.wavoice.testkit.app.PostgresStack;
import dev.wavoice.testkit.app.Stacks;
import dev.wavoice.testkit.audio.Tones;
import dev.wavoice.testkit.db.RealPostgres;
import dev.wavoice.testkit.kms.PipelineDouble;
import dev.wavoice.testkit.openai.DoubleSession;
import dev.wavoice.testkit.openai.Turn;
import dev.wavoice.testkit.whatsapp.WebhookSender;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The call record database failing under live calls, with the real WAR on Payara Micro and a real
 * PostgreSQL server: stopped as a crash would ({@code pg_ctl stop -m immediate}) mid-call and before a call,
 * and slowed by a lock another session holds on the records table. Each time the call is answered, goes on
 * and ends normally with everything released; readiness says {@code database} DOWN meanwhile; the record,
 * with its transcript and end reason, lands once the database takes writes again.
 */
@Tag("doubles")
@ExtendWith(Stacks.class)
class PostgresFaultsIT {

  private static final Duration WAIT = Duration.ofSeconds(20);
  /** Readiness calls a write stuck after 10 s; the database itself restarts within seconds. */
  private static final Duration SLOW_WAIT = Duration.ofSeconds(45);
  private static final double BOT_TONE_HZ = 660;
  private static final String GREETING = "Hello, this is the wavoice agent.";

  private static DoublesStack stack;
  private static RealPostgres postgres;
  private static WebhookSender meta;
  private static AdminClient admin;
  private boolean stopped;

  @BeforeAll
  static void start(PostgresStack pg) {
    stack = pg.doubles;
    postgres = pg.postgres;
    meta = stack.webhooks();
    admin = stack.admin();
  }

  @AfterEach
  void databaseBackAndNoCallLeftBehind() {
    if (stopped) {
      postgres.startAgain(); // a failed test leaves the next one a running database
    }
    assertThat(stack.kms.protocolViolations()).isEmpty();
    Await.until(WAIT, "no live call left by the test", () -> admin.get("/api/calls").body().equals("[]"));
    Await.until(SLOW_WAIT, "readiness database UP", () -> "UP".equals(databaseReadiness()));
  }

  @Test
  void postgresStoppedMidCallTheCallGoesOnAndEndsAndItsRecordLandsWhenPostgresIsBack() throws SQLException {
    String callId = newCallId();
    Call call = answer(callId);
    Await.until(WAIT, "the new record in PostgreSQL", () -> "IN_PROGRESS/null".equals(row(callId)));

    stop();
    Await.until(WAIT, "readiness database DOWN", () -> "DOWN".equals(databaseReadiness()));
    // the agent speaks while the database is away: the line goes to the transcript
    call.agentSpeaks();
    terminate(callId);
    call.endedAndReleased();
    Await.until(WAIT, "the record's writes pending", () -> pendingWrites() > 0);
    assertThat(stack.whatsapp.acceptedActions(callId)).containsExactly("pre_accept", "accept");

    start();
    Await.until(SLOW_WAIT, "the ended record in PostgreSQL", () -> "COMPLETED/REMOTE_TERMINATE".equals(row(callId)));
    assertThat(transcript(callId)).contains(GREETING);
    Await.until(WAIT, "readiness database UP", () -> "UP".equals(databaseReadiness()));
    Await.until(WAIT, "no writes pending", () -> pendingWrites() == 0);
    assertThat(metric("wavoice_record_write_failures_total")).isPositive();
    assertThat(metric("wavoice_record_writes_dropped_total")).isZero();
  }

  @Test
  void aCallThatStartsWhilePostgresIsDownIsAnsweredAndItsRecordLandsLater() throws SQLException {
    stop();
    Await.until(WAIT, "readiness database DOWN", () -> "DOWN".equals(databaseReadiness()));
    String callId = newCallId();

    Call call = answer(callId);
    call.agentSpeaks();
    terminate(callId);
    call.endedAndReleased();

    start();
    Await.until(SLOW_WAIT, "the record in PostgreSQL", () -> "COMPLETED/REMOTE_TERMINATE".equals(row(callId)));
    assertThat(transcript(callId)).contains(GREETING);
    assertThat(stack.whatsapp.acceptedActions(callId)).containsExactly("pre_accept", "accept");
  }

  @Test
  void aLockHeldOnTheRecordsTableHoldsUpNoCallAndTheRecordLandsOnceItIsReleased() throws SQLException {
    String callId = newCallId();
    try (Connection other = postgres.connect()) {
      other.setAutoCommit(false);
      try (Statement lock = other.createStatement()) {
        // writes wait for this session; reads still go through
        lock.execute("LOCK TABLE call_record IN EXCLUSIVE MODE");
      }

      Call call = answer(callId);
      call.agentSpeaks();
      Await.until(SLOW_WAIT, "readiness database DOWN (a write stuck)", () -> "DOWN".equals(databaseReadiness()));
      terminate(callId);
      call.endedAndReleased();
      assertThat(row(callId)).as("nothing written while the lock is held").isNull();
      assertThat(pendingWrites()).isPositive();

      other.rollback();
    }
    Await.until(WAIT, "the record in PostgreSQL", () -> "COMPLETED/REMOTE_TERMINATE".equals(row(callId)));
    assertThat(transcript(callId)).contains(GREETING);
    Await.until(WAIT, "readiness database UP", () -> "UP".equals(databaseReadiness()));
  }

  /** A call the test drives: answered, its OpenAI session and its Kurento pipeline. */
  private record Call(String id, DoubleSession session, PipelineDouble pipeline) {

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

    /** The call left the live list, its pipeline was released and its OpenAI session closed. */
    void endedAndReleased() {
      Await.until(WAIT, "the call ended", () -> !admin.get("/api/calls").body().contains(id));
      Await.until(WAIT, "pipeline released", () -> stack.kms.pipelineTagged("wavoice.call-id", id).isEmpty());
      Await.until(WAIT, "OpenAI session closed", session::isClosed);
    }
  }

  /** Sends the connect and waits until the call is answered (accept sent) and its audio reaches OpenAI. */
  private static Call answer(String callId) {
    int sessionsBefore = stack.openai.sessions().size();
    stack.openai.configureNextSession(s -> s.autoVad(false).enqueue(Turn.of().audio(1500, BOT_TONE_HZ, GREETING)));
    assertThat(meta.send(Fixtures.withCallId("webhook-connect-user-initiated.json", callId)).statusCode()).isEqualTo(200);
    Await.until(WAIT, "pre_accept and accept of " + callId,
        () -> stack.whatsapp.acceptedActions(callId).equals(List.of("pre_accept", "accept")));
    DoubleSession session = stack.openai.awaitSession(sessionsBefore, WAIT);
    Await.until(WAIT, "caller audio at OpenAI", () -> session.inputAudioBytes() >= 8_000);
    PipelineDouble pipeline = stack.kms.pipelineTagged("wavoice.call-id", callId).orElseThrow();
    return new Call(callId, session, pipeline);
  }

  private static void terminate(String callId) {
    assertThat(meta.send(Fixtures.withCallId("webhook-terminate-completed.json", callId)).statusCode()).isEqualTo(200);
  }

  private void stop() {
    stopped = true;
    postgres.stopImmediately();
  }

  private void start() {
    postgres.startAgain();
    stopped = false;
  }

  private static String newCallId() {
    return "wacid.PF" + UUID.randomUUID().toString().replace("-", "");
  }

  /** The {@code database} readiness check's status. */
  private static String databaseReadiness() {
    JsonObject health = Fixtures.parse(stack.app.get("/health/ready").body());
    for (JsonValue check : health.getJsonArray("checks")) {
      if (check.asJsonObject().getString("name").equals("database")) {
        return check.asJsonObject().getString("status");
      }
    }
    throw new AssertionError("no database check in " + health);
  }

  private static double pendingWrites() {
    return metric("wavoice_record_writes_pending");
  }

  /** The value of an application metric in {@code /metrics} (summed over its labels). */
  private static double metric(String name) {
    return stack.app.get("/metrics").body().lines()
        .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  /** The record as PostgreSQL has it: outcome/end reason, or null when there is no row (or no database). */
  private static String row(String callId) {
    try (Connection db = postgres.connect();
        PreparedStatement query = db.prepareStatement("select outcome, end_reason from call_record where call_id = ?")) {
      query.setString(1, callId);
      try (ResultSet rs = query.executeQuery()) {
        return rs.next() ? rs.getString(1) + "/" + rs.getString(2) : null;
      }
    } catch (SQLException e) {
      return null;
    }
  }

  /** The transcript lines PostgreSQL has for the call, in order. */
  private static List<String> transcript(String callId) throws SQLException {
    try (Connection db = postgres.connect();
        PreparedStatement query = db.prepareStatement("select * from call_transcript where call_id = ? order by position")) {
      query.setString(1, callId);
      try (ResultSet rs = query.executeQuery()) {
        List<String> lines = new ArrayList<>();
        int text = rs.findColumn("text");
        while (rs.next()) {
          lines.add(rs.getString(text));
        }
        return lines;
      }
    }
  }
}
