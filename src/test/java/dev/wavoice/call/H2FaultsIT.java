package dev.wavoice.call;

import static dev.wavoice.call.DatabaseFaultCalls.GREETING;
import static dev.wavoice.call.DatabaseFaultCalls.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.Fixtures;
import dev.wavoice.testkit.app.AdminClient;
import dev.wavoice.testkit.app.H2Stack;
import dev.wavoice.testkit.app.Stacks;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The default, embedded H2 database failing under calls, with the real WAR on Payara Micro and the real
 * H2 file: another process holding the file when wavoice starts. H2 refuses a second opener of a file at
 * once (error 90020, "Database may be already in use", caused by "The file is locked"; in the app it is the
 * H2 that Payara Micro brings, which the WAR's classes see first); the disk under the file full mid-call
 * (the data directory is a small tmpfs the test fills). Calls are still answered and end normally,
 * readiness says {@code database} DOWN, and the records land once the file is free, or there is room again.
 */
@Tag("doubles")
@ExtendWith(Stacks.class)
class H2FaultsIT {

  private static H2Stack h2;
  private static DatabaseFaultCalls calls;
  private static AdminClient admin;

  @BeforeAll
  static void start(H2Stack stack) {
    h2 = stack;
    calls = new DatabaseFaultCalls(stack.doubles);
    admin = stack.doubles.admin();
  }

  @AfterEach
  void noCallLeftBehind() {
    calls.nothingLeftBehind();
  }

  @Test
  void theFileHeldByAnotherProcessCostsNoCallAndTheRecordLandsOnceItIsFree() throws SQLException {
    // a record made before, so the file has its schema
    DatabaseFaultCalls.Call before = calls.answer();
    before.terminatedAndReleased();
    Await.until(WAIT, "the first record complete", () -> complete(before.id) != null);

    h2.doubles.app.kill();
    DatabaseFaultCalls.Call call;
    try (Connection holder = DriverManager.getConnection(h2.jdbcUrl(), "sa", "")) {
      // this test's JVM now holds the file: wavoice starts without its database
      h2.doubles.app.startAgain();
      Await.until(WAIT, "readiness database DOWN", () -> "DOWN".equals(calls.databaseReadiness()));
      assertThat(calls.databaseCheck().getJsonObject("data").getString("problem")).contains("The file is locked");

      call = calls.answer();
      call.agentSpeaks();
      call.terminatedAndReleased();
      assertThat(calls.pendingWrites()).isPositive();
      assertThat(rows(holder, call.id)).as("nothing reached the file while it was held").isZero();
    }

    JsonObject record = Await.value(WAIT, "the record of the call, complete", () -> complete(call.id));
    assertThat(record.getString("outcome")).isEqualTo("COMPLETED");
    assertThat(record.getString("endReason")).isEqualTo("REMOTE_TERMINATE");
    assertThat(record.getJsonArray("transcript").toString()).contains(GREETING);
    Await.until(WAIT, "readiness database UP", () -> "UP".equals(calls.databaseReadiness()));
    Await.until(WAIT, "no writes pending", () -> calls.pendingWrites() == 0);
  }

  @Test
  void aFullDiskCostsNoCallAndTheRecordLandsOnceThereIsRoomAgain() {
    DatabaseFaultCalls.Call call = calls.answer();
    Await.until(WAIT, "the new record", () -> admin.get("/api/calls/" + call.id).statusCode() == 200);
    double failuresBefore = calls.metric("wavoice_record_write_failures_total");
    h2.disk.fill();
    try {
      call.agentSpeaks();
      call.terminatedAndReleased();
      // H2 fails the commit that needs its file to grow ("No space left on device") and may take a retry in
      // the room its file still has: the fault is seen as a failed attempt, not always as a long outage
      Await.until(WAIT, "a write refused for lack of space",
          () -> calls.metric("wavoice_record_write_failures_total") > failuresBefore);
    } finally {
      h2.disk.free();
    }

    JsonObject record = Await.value(WAIT, "the record of the call, complete", () -> complete(call.id));
    assertThat(record.getString("outcome")).isEqualTo("COMPLETED");
    assertThat(record.getString("endReason")).isEqualTo("REMOTE_TERMINATE");
    assertThat(record.getJsonArray("transcript").toString()).contains(GREETING);
    Await.until(WAIT, "readiness database UP", () -> "UP".equals(calls.databaseReadiness()));
    Await.until(WAIT, "no writes pending", () -> calls.pendingWrites() == 0);
    assertThat(calls.metric("wavoice_record_writes_dropped_total")).isZero();
  }

  /** The record as the app serves it, once it is no longer in progress; null before. */
  private static JsonObject complete(String callId) {
    HttpResponse<String> response = admin.get("/api/calls/" + callId);
    if (response.statusCode() != 200) {
      return null;
    }
    JsonObject record = Fixtures.parse(response.body());
    return record.getString("outcome").equals("IN_PROGRESS") ? null : record;
  }

  private static int rows(Connection db, String callId) throws SQLException {
    try (PreparedStatement query = db.prepareStatement("select count(*) from call_record where call_id = ?")) {
      query.setString(1, callId);
      try (ResultSet rs = query.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }
}
