package dev.wavoice.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.Fixtures;
import dev.wavoice.testkit.app.AdminClient;
import dev.wavoice.testkit.app.ClusterStack;
import dev.wavoice.testkit.app.DoublesStack;
import dev.wavoice.testkit.app.PayaraApp;
import dev.wavoice.testkit.app.Probe;
import dev.wavoice.testkit.app.Stacks;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two members of a real grid (two Payara Micro processes on loopback) sharing a real PostgreSQL: a call
 * one member answers is seen, ended and hung up from the other and reaches its console feed; a
 * redelivery to the other starts nothing, nor does a connect whose terminate reached the other first; a killed member's call is closed by the survivor and its pipeline released. The kill comes
 * last, and the killed member is started again (it rejoins), so the stack stays whole.
 */
@Tag("cluster")
@ExtendWith(Stacks.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  /** The survivor cleans up within this of a member's loss. */
  private static final Duration LOSS_WAIT = Duration.ofSeconds(60);
  private static final String CALL_ID_TAG = "wavoice.call-id";

  private ClusterStack stack;

  @BeforeEach
  void stack(ClusterStack stack) {
    this.stack = stack;
  }

  @Test
  @Order(1)
  void aCallAnsweredByOneMemberIsSeenFromTheOther() {
    String callId = answeredBy(stack.a);

    assertThat(liveIds(stack.admin(stack.b))).contains(callId);
    assertThat(callsHere(stack.a)).isEqualTo(1);
    assertThat(callsHere(stack.b)).isZero();
    hangUp(stack.admin(stack.a), callId);
  }

  @Test
  @Order(2)
  void aTerminateDeliveredToTheOtherMemberEndsTheCall() {
    String callId = answeredBy(stack.a);

    assertThat(stack.webhooks(stack.b).send(Fixtures.withCallId("webhook-terminate-completed.json", callId)).statusCode())
        .isEqualTo(200);

    Await.until(WAIT, "the call ended on its owner", () -> !liveIds(stack.admin(stack.a)).contains(callId));
    // handed to the member holding the call and handled there, not on the member it reached
    assertThat(new Probe(stack.a).callEvents(callId)).extracting(e -> e.getJsonObject("call").getString("event"))
        .containsExactly("connect", "terminate");
    assertThat(new Probe(stack.b).callEvents(callId)).isEmpty();
    Await.until(WAIT, "the record closed", () -> stack.admin(stack.b).call(callId).containsKey("endReason"));
    assertThat(stack.admin(stack.b).call(callId).getString("endReason")).isEqualTo("REMOTE_TERMINATE");
    Await.until(WAIT, "the pipeline released", () -> stack.kms.pipelineTagged(CALL_ID_TAG, callId).isEmpty());
  }

  @Test
  @Order(3)
  void theSameConnectRedeliveredToTheOtherMemberStartsNothing() {
    String callId = "wacid.CL" + UUID.randomUUID().toString().replace("-", "");
    String connect = Fixtures.withCallId("webhook-connect-user-initiated.json", callId);
    assertThat(stack.webhooks(stack.a).send(connect).statusCode()).isEqualTo(200);
    Await.until(WAIT, "the call answered", () -> stack.whatsapp.acceptedActions(callId).contains("accept"));

    assertThat(stack.webhooks(stack.b).send(connect).statusCode()).isEqualTo(200);
    // a later delivery to B that B does dispatch: once it is seen there, the redelivery would have been too
    String sentinel = "wacid.CLS" + UUID.randomUUID().toString().replace("-", "");
    assertThat(stack.webhooks(stack.b).send(Fixtures.withCallId("webhook-terminate-completed.json", sentinel)).statusCode())
        .isEqualTo(200);
    Probe probeB = new Probe(stack.b);
    probeB.awaitEvent("the later delivery dispatched on B", e -> !probeB.callEvents(sentinel).isEmpty());

    // the redelivery was a repeat to the cluster's memory: B dispatched nothing, the one call is A's
    assertThat(probeB.callEvents(callId)).isEmpty();
    assertThat(new Probe(stack.a).callEvents(callId)).hasSize(1);
    assertThat(callsHere(stack.b)).isZero();
    assertThat(callsHere(stack.a)).isEqualTo(1);
    assertThat(stack.kms.pipelines().stream().filter(p -> callId.equals(p.tags().get(CALL_ID_TAG))).count()).isEqualTo(1);
    hangUp(stack.admin(stack.a), callId);
    assertThat(stack.whatsapp.acceptedActions(callId)).startsWith("pre_accept", "accept").containsOnlyOnce("pre_accept", "accept");
  }

  @Test
  @Order(4)
  void aHangUpFromTheOtherMemberEndsTheCall() {
    String callId = answeredBy(stack.a);

    hangUp(stack.admin(stack.b), callId);

    assertThat(stack.admin(stack.b).call(callId).getString("endReason")).isEqualTo("OPERATOR_HANGUP");
    // once the owner has let the cluster know the call is over, no member holds it
    Await.until(WAIT, "a call no member holds is not found",
        () -> stack.admin(stack.b).post("/api/calls/" + callId + "/hangup", "").statusCode() == 404);
  }

  @Test
  @Order(5)
  void aTerminateDeliveredToOneMemberBeforeItsConnectReachedTheOtherStartsNothing() {
    String callId = "wacid.CL" + UUID.randomUUID().toString().replace("-", "");

    // no member holds the call yet: the terminate goes to every member, and A remembers it
    assertThat(stack.webhooks(stack.b).send(Fixtures.withCallId("webhook-terminate-completed.json", callId)).statusCode())
        .isEqualTo(200);
    Await.until(WAIT, "A remembered the terminate", () -> logSays(stack.a, "terminate for call " + callId + ", which is not live here"));
    assertThat(stack.webhooks(stack.a).send(Fixtures.withCallId("webhook-connect-user-initiated.json", callId)).statusCode())
        .isEqualTo(200);

    Await.until(WAIT, "the record closed", () -> {
      var response = stack.admin(stack.b).get("/api/calls/" + callId);
      return response.statusCode() == 200 && Fixtures.parse(response.body()).containsKey("endReason");
    });
    JsonObject record = stack.admin(stack.b).call(callId);
    assertThat(record.getString("endReason")).isEqualTo("REMOTE_TERMINATE");
    assertThat(record.getString("endDetail")).contains("before the connect");
    // nothing started: no Graph action, no pipeline
    assertThat(stack.whatsapp.acceptedActions(callId)).isEmpty();
    assertThat(stack.kms.pipelineTagged(CALL_ID_TAG, callId)).isEmpty();
  }

  @Test
  @Order(6)
  void theConsoleFeedOfOneMemberCarriesTheOtherMembersCalls() throws Exception {
    try (HttpClient client = HttpClient.newHttpClient()) {
      HttpResponse<InputStream> feed = client.send(HttpRequest.newBuilder(stack.b.uri("/api/events"))
              .header("Authorization", "Bearer " + DoublesStack.ADMIN_TOKEN).header("Accept", "text/event-stream").build(),
          HttpResponse.BodyHandlers.ofInputStream());
      assertThat(feed.statusCode()).isEqualTo(200);
      List<String> lines = new CopyOnWriteArrayList<>();
      Thread.ofVirtual().start(() -> {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(feed.body(), StandardCharsets.UTF_8))) {
          for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lines.add(line);
          }
        } catch (IOException closed) {
          // the test closed the feed
        }
      });
      try {
        Await.until(WAIT, "the feed connected", () -> lines.stream().anyMatch(l -> l.contains("connected")));

        String callId = answeredBy(stack.a);
        Await.until(WAIT, "A's call's state on B's feed", () -> lines.stream()
            .anyMatch(l -> l.startsWith("data:") && l.contains("\"callId\":\"" + callId + "\"") && l.contains("\"state\":")));
        hangUp(stack.admin(stack.a), callId);
        Await.until(WAIT, "A's call's end on B's feed", () -> lines.stream()
            .anyMatch(l -> l.contains("\"callId\":\"" + callId + "\"") && l.contains("\"state\":\"ENDED\"")));
      } finally {
        feed.body().close();
      }
    }
  }

  @Test
  @Order(7)
  void aKilledMembersCallIsClosedInterruptedByTheSurvivorAndItsPipelineReleased() {
    String callId = answeredBy(stack.a);
    assertThat(stack.kms.pipelineTagged(CALL_ID_TAG, callId)).isPresent();

    stack.a.kill();

    Await.until(LOSS_WAIT, "the survivor closed the record", () -> stack.admin(stack.b).call(callId).containsKey("endReason"));
    JsonObject closed = stack.admin(stack.b).call(callId);
    assertThat(closed.getString("endReason")).isEqualTo("INTERRUPTED");
    Await.until(LOSS_WAIT, "the survivor released the pipeline", () -> stack.kms.pipelineTagged(CALL_ID_TAG, callId).isEmpty());
    assertThat(liveIds(stack.admin(stack.b))).doesNotContain(callId);

    stack.a.startAgain();
    Await.until(WAIT, "the restarted member rejoined", () -> members(stack.b) == 2 && members(stack.a) == 2);
  }

  private static boolean logSays(PayaraApp member, String text) {
    try {
      return Files.readString(member.log()).contains(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A user's call delivered to {@code member}, answered there. */
  private String answeredBy(PayaraApp member) {
    String callId = "wacid.CL" + UUID.randomUUID().toString().replace("-", "");
    assertThat(stack.webhooks(member).send(Fixtures.withCallId("webhook-connect-user-initiated.json", callId)).statusCode())
        .isEqualTo(200);
    Await.until(WAIT, "the call answered", () -> stack.whatsapp.acceptedActions(callId).contains("accept"));
    Await.until(WAIT, "the call in the cluster's view", () -> liveIds(stack.admin(stack.a)).contains(callId)
        && liveIds(stack.admin(stack.b)).contains(callId));
    return callId;
  }

  private static void hangUp(AdminClient admin, String callId) {
    assertThat(admin.post("/api/calls/" + callId + "/hangup", "").statusCode()).isEqualTo(202);
    Await.until(WAIT, "the record closed", () -> admin.call(callId).containsKey("endReason"));
  }

  private static List<String> liveIds(AdminClient admin) {
    var response = admin.get("/api/calls");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    try (var reader = Json.createReader(new StringReader(response.body()))) {
      return reader.readArray().stream().map(v -> v.asJsonObject().getString("callId")).toList();
    }
  }

  private static JsonObject callsCheck(PayaraApp member) {
    JsonObject health = Fixtures.parse(member.get("/health/ready").body());
    return health.getJsonArray("checks").stream().map(JsonValue::asJsonObject)
        .filter(c -> "calls".equals(c.getString("name"))).findFirst().orElseThrow().getJsonObject("data");
  }

  private static int callsHere(PayaraApp member) {
    return number(callsCheck(member), "here");
  }

  private static int members(PayaraApp member) {
    return number(callsCheck(member), "members");
  }

  /** A number of a check's data (Payara writes them as JSON strings). */
  private static int number(JsonObject data, String key) {
    JsonValue value = data.get(key);
    return Integer.parseInt(value instanceof jakarta.json.JsonString text ? text.getString() : value.toString());
  }
}
