package dev.wavoice.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.testkit.Fixtures;
import dev.wavoice.testkit.app.DoublesStack;
import dev.wavoice.testkit.app.Stacks;
import dev.wavoice.testkit.openai.DoubleSession;
import dev.wavoice.testkit.openai.Turn;
import dev.wavoice.testkit.whatsapp.GraphRequest;
import jakarta.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Realtime client as deployed: the real WAR on Payara Micro (its CDI wiring, its JSON-B, its
 * configuration) opens a session to the OpenAI double, runs a tool through the WhatsApp double and
 * gets an answer. Driven through the test probe, observed through the doubles.
 */
@Tag("doubles")
@ExtendWith(Stacks.class)
class RealtimeIT {

  static final String CALLER = "13175550000";

  @Test
  void theAppOpensAGaSessionRunsAToolAndGetsAnAnswer(DoublesStack stack) {
    int before = stack.openai.sessions().size();
    int messagesBefore = (int) stack.whatsapp.requests().stream().filter(r -> r.path().endsWith("/messages")).count();
    stack.openai.enqueue(Turn.of().functionCall("send_whatsapp_message", "{\"text\":\"Your booking is R-2291.\"}"));
    stack.openai.enqueue(Turn.of().audio(400, 440, "I have sent you the booking number."));

    HttpResponse<String> reply = stack.app.send(HttpRequest.newBuilder(
            stack.app.uri("/test-probe/realtime?caller=" + CALLER + "&responses=2"))
        .POST(HttpRequest.BodyPublishers.noBody()).build());
    assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
    JsonObject result = Fixtures.parse(reply.body());
    assertThat(result.getBoolean("all_done")).isTrue();
    assertThat(result.getJsonArray("failures")).isEmpty();
    assertThat(result.getJsonArray("statuses").getValuesAs(jakarta.json.JsonString::getString))
        .containsExactly("completed", "completed");
    assertThat(result.getJsonArray("bot").getString(0)).isEqualTo("I have sent you the booking number.");
    assertThat(result.getJsonNumber("audio_bytes").longValue()).isEqualTo(400 * 8);
    JsonObject tool = result.getJsonArray("tools").getJsonObject(0);
    assertThat(tool.getString("name")).isEqualTo("send_whatsapp_message");
    assertThat(tool.getBoolean("ok")).isTrue();
    assertThat(result.getJsonNumber("usage_total").longValue()).isPositive();

    DoubleSession session = stack.openai.awaitSession(before, Duration.ofSeconds(5));
    assertThat(session.id()).isEqualTo(result.getString("session_id"));
    assertThat(session.handshake().header("Authorization")).isEqualTo("Bearer " + DoublesStack.OPENAI_API_KEY);
    assertThat(session.handshake().header("OpenAI-Beta")).isNull();
    assertThat(session.handshake().model()).isEqualTo("gpt-realtime");
    JsonObject update = session.received("session.update").get(0).getJsonObject("session");
    assertThat(update.getJsonObject("audio").getJsonObject("input").getJsonObject("format").getString("type"))
        .isEqualTo("audio/pcmu");
    assertThat(update.getJsonObject("audio").getJsonObject("output").getString("voice")).isEqualTo("marin");
    assertThat(update.getJsonArray("tools").stream().map(t -> t.asJsonObject().getString("name")).toList())
        .containsExactly("end_call", "send_whatsapp_message", DoublesStack.HTTP_TOOL);

    var messages = stack.whatsapp.requests().stream().filter(r -> r.path().endsWith("/messages")).toList();
    assertThat(messages).hasSize(messagesBefore + 1);
    GraphRequest message = messages.get(messages.size() - 1);
    assertThat(message.body().getString("to")).isEqualTo(CALLER);
    assertThat(message.body().getJsonObject("text").getString("body")).isEqualTo("Your booking is R-2291.");
    stack.openai.assertNoViolations();
  }
}
