package dev.wavoice.call;

import static dev.wavoice.call.DatabaseFaultCalls.GREETING;
import static dev.wavoice.call.DatabaseFaultCalls.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.app.PostgresStack;
import dev.wavoice.testkit.app.Stacks;
import dev.wavoice.testkit.db.RealPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

  /** Readiness calls a write stuck after 10 s; the database itself restarts within seconds. */
  private static final Duration SLOW_WAIT = Duration.ofSeconds(45);

  private static RealPostgres postgres;
  private static DatabaseFaultCalls calls;
  private boolean stopped;

  @BeforeAll
  static void start(PostgresStack pg) {
    postgres = pg.postgres;
    calls = new DatabaseFaultCalls(pg.doubles);
  }

  @AfterEach
  void databaseBackAndNoCallLeftBehind() {
    if (stopped) {
      postgres.startAgain(); // a failed test leaves the next one a running database
    }
    calls.nothingLeftBehind();
    Await.until(SLOW_WAIT, "readiness database UP", () -> "UP".equals(calls.databaseReadiness()));
  }

  @Test
  void postgresStoppedMidCallTheCallGoesOnAndEndsAndItsRecordLandsWhenPostgresIsBack() throws SQLException {
    DatabaseFaultCalls.Call call = calls.answer();
    Await.until(WAIT, "the new record in PostgreSQL", () -> "IN_PROGRESS/null".equals(row(call.id)));

    stop();
    Await.until(WAIT, "readiness database DOWN", () -> "DOWN".equals(calls.databaseReadiness()));
    // the agent speaks while the database is away: the line goes to the transcript
    call.agentSpeaks();
    call.terminatedAndReleased();
    Await.until(WAIT, "the record's writes pending", () -> calls.pendingWrites() > 0);

    start();
    Await.until(SLOW_WAIT, "the ended record in PostgreSQL", () -> "COMPLETED/REMOTE_TERMINATE".equals(row(call.id)));
    assertThat(transcript(call.id)).contains(GREETING);
    Await.until(WAIT, "readiness database UP", () -> "UP".equals(calls.databaseReadiness()));
    Await.until(WAIT, "no writes pending", () -> calls.pendingWrites() == 0);
    // no failed attempt is asserted: EclipseLink may reconnect and run a statement again itself, which can
    // bridge a short outage within one attempt of the writer
    assertThat(calls.metric("wavoice_record_writes_dropped_total")).isZero();
  }

  @Test
  void aCallThatStartsWhilePostgresIsDownIsAnsweredAndItsRecordLandsLater() throws SQLException {
    stop();
    Await.until(WAIT, "readiness database DOWN", () -> "DOWN".equals(calls.databaseReadiness()));

    DatabaseFaultCalls.Call call = calls.answer();
    call.agentSpeaks();
    call.terminatedAndReleased();

    start();
    Await.until(SLOW_WAIT, "the record in PostgreSQL", () -> "COMPLETED/REMOTE_TERMINATE".equals(row(call.id)));
    assertThat(transcript(call.id)).contains(GREETING);
  }

  @Test
  void aLockHeldOnTheRecordsTableHoldsUpNoCallAndTheRecordLandsOnceItIsReleased() throws SQLException {
    String callId;
    try (Connection other = postgres.connect()) {
      other.setAutoCommit(false);
      try (Statement lock = other.createStatement()) {
        // writes wait for this session; reads still go through
        lock.execute("LOCK TABLE call_record IN EXCLUSIVE MODE");
      }

      DatabaseFaultCalls.Call call = calls.answer();
      callId = call.id;
      call.agentSpeaks();
      Await.until(SLOW_WAIT, "readiness database DOWN (a write stuck)", () -> "DOWN".equals(calls.databaseReadiness()));
      assertThat(calls.databaseCheck().getJsonObject("data").getString("problem")).contains("lock");
      call.terminatedAndReleased();
      assertThat(row(callId)).as("nothing written while the lock is held").isNull();
      assertThat(calls.pendingWrites()).isPositive();

      other.rollback();
    }
    Await.until(WAIT, "the record in PostgreSQL", () -> "COMPLETED/REMOTE_TERMINATE".equals(row(callId)));
    assertThat(transcript(callId)).contains(GREETING);
    Await.until(WAIT, "readiness database UP", () -> "UP".equals(calls.databaseReadiness()));
  }

  private void stop() {
    stopped = true;
    postgres.stopImmediately();
  }

  private void start() {
    postgres.startAgain();
    stopped = false;
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
        PreparedStatement query = db.prepareStatement("select text from call_transcript where call_id = ? order by position")) {
      query.setString(1, callId);
      try (ResultSet rs = query.executeQuery()) {
        List<String> lines = new ArrayList<>();
        while (rs.next()) {
          lines.add(rs.getString(1));
        }
        return lines;
      }
    }
  }
}
