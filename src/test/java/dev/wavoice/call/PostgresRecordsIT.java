package dev.wavoice.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.Fixtures;
import dev.wavoice.testkit.app.AdminClient;
import dev.wavoice.testkit.app.PayaraApp;
import dev.wavoice.testkit.db.RealPostgres;
import dev.wavoice.testkit.whatsapp.WhatsAppCloudDouble;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Call records in a real PostgreSQL server ({@code wavoice.db.url}): the schema is made by wavoice, a
 * call's record is a row there, and it is still served after wavoice restarts. Kurento and OpenAI are not
 * needed: the call comes from a blocked number and is refused at once, which still makes a record.
 */
@Tag("doubles")
class PostgresRecordsIT {

  private static final String APP_SECRET = "it-app-secret-pg-51c0";
  private static final String ACCESS_TOKEN = "it-access-token-pg-7a2e";
  private static final String PHONE_NUMBER_ID = "436666719526789";
  private static final String ADMIN_TOKEN = "it-admin-token-pg-c94d";
  private static final String BLOCKED = "19995550177";
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static RealPostgres postgres;
  private static WhatsAppCloudDouble whatsapp;
  private static PayaraApp app;

  @BeforeAll
  static void start() {
    postgres = RealPostgres.start();
    whatsapp = WhatsAppCloudDouble.start(ACCESS_TOKEN, PHONE_NUMBER_ID);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("WAVOICE_WHATSAPP_APP_SECRET", APP_SECRET);
    env.put("WAVOICE_WHATSAPP_VERIFY_TOKEN", "it-verify-token-pg");
    env.put("WAVOICE_WHATSAPP_ACCESS_TOKEN", ACCESS_TOKEN);
    env.put("WAVOICE_WHATSAPP_PHONE_NUMBER_ID", PHONE_NUMBER_ID);
    env.put("WAVOICE_WHATSAPP_GRAPH_BASE_URL", whatsapp.baseUrl());
    env.put("WAVOICE_ADMIN_TOKEN", ADMIN_TOKEN);
    env.put("WAVOICE_CALLS_BLOCKED_NUMBERS", BLOCKED);
    env.put("WAVOICE_DB_URL", postgres.jdbcUrl());
    env.put("WAVOICE_DB_USER", postgres.user());
    app = PayaraApp.start("postgres", env);
  }

  @AfterEach
  void noProtocolViolations() {
    whatsapp.assertNoViolations();
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
    whatsapp.close();
    postgres.close();
  }

  @Test
  void aCallRecordIsARowInPostgresAndSurvivesARestart() throws SQLException {
    assertThat(app.get("/health/ready").body()).contains("\"database\",\"status\":\"UP\"");
    String callId = "wacid.PG" + UUID.randomUUID().toString().replace("-", "");
    String connect = Fixtures.editCalls(Fixtures.whatsappJson("webhook-connect-user-initiated.json"),
        c -> Json.createObjectBuilder(c).add("id", callId).add("from", BLOCKED).build()).toString();
    assertThat(whatsapp.webhooks(app.uri("/webhook"), APP_SECRET).send(connect).statusCode()).isEqualTo(200);
    Await.until(WAIT, "the blocked call refused", () -> whatsapp.acceptedActions(callId).contains("reject"));

    String expected = "REJECTED/BLOCKED_NUMBER/" + BLOCKED;
    Await.until(WAIT, "the ended record in PostgreSQL: " + expected, () -> expected.equals(row(callId)));

    app.restart();
    HttpResponse<String> response = new AdminClient(app, ADMIN_TOKEN).get("/api/calls/" + callId);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonObject record = Fixtures.parse(response.body());
    assertThat(record.getString("outcome")).isEqualTo("REJECTED");
    assertThat(record.getString("endReason")).isEqualTo("BLOCKED_NUMBER");
    // the timeline is rows of its own table, read back in order
    assertThat(record.getJsonArray("timeline").stream().map(e -> e.asJsonObject().getString("event"))).containsExactly("end");
    assertThat(timelineRows(callId)).isEqualTo(1);
    assertThat(app.dir().resolve("data").resolve("wavoice.mv.db")).as("no embedded H2 when a URL is set").doesNotExist();
  }

  private static int timelineRows(String callId) throws SQLException {
    try (Connection db = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), "");
        PreparedStatement query = db.prepareStatement("select count(*) from call_timeline where call_id = ?")) {
      query.setString(1, callId);
      try (ResultSet rs = query.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /** The record as PostgreSQL has it: outcome/end reason/caller, or null when there is no row yet. */
  private static String row(String callId) {
    try (Connection db = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), "");
        PreparedStatement query = db.prepareStatement("select outcome, end_reason, from_number from call_record where call_id = ?")) {
      query.setString(1, callId);
      try (ResultSet rs = query.executeQuery()) {
        return rs.next() ? rs.getString(1) + "/" + rs.getString(2) + "/" + rs.getString(3) : null;
      }
    } catch (SQLException e) {
      // the table appears when wavoice has made its schema
      return null;
    }
  }
}
