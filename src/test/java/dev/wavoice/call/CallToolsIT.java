package dev.wavoice.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.Fixtures;
import dev.wavoice.testkit.app.IncomingCalls;
import dev.wavoice.testkit.app.DoublesStack;
import dev.wavoice.testkit.app.Stacks;
import dev.wavoice.testkit.audio.Tones;
import dev.wavoice.testkit.kms.WebRtcEndpointDouble;
import dev.wavoice.testkit.openai.DoubleSession;
import dev.wavoice.testkit.openai.Turn;
import dev.wavoice.testkit.tools.ToolServer;
import dev.wavoice.testkit.tools.ToolServer.Reply;
import dev.wavoice.testkit.whatsapp.GraphRequest;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The agent's tools in whole calls through the real WAR: the OpenAI double asks for a function call the
 * way OpenAI does (output item, argument deltas, {@code .done}, {@code response.done}), the app runs it
 * and answers with a {@code function_call_output} and a new {@code response.create}. {@code end_call}
 * ends the call after the goodbye, {@code send_whatsapp_message} texts the caller through Meta, and the
 * stack's operator HTTP tool is called as documented, its failures each reaching the model as a clear
 * error while the call goes on.
 */
@Tag("doubles")
@ExtendWith(Stacks.class)
class CallToolsIT {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final double BOT_TONE_HZ = 660;
  private static final String CALLER = "13175550000";

  private static DoublesStack stack;

  @BeforeAll
  static void start(DoublesStack doubles) {
    stack = doubles;
  }

  @AfterEach
  void noProtocolViolationsAndNoCallLeftBehind() {
    stack.tools.answer(200, "{}");
    try {
      stack.openai.assertNoViolations();
      stack.admin().awaitNoLiveCall(WAIT);
    } finally {
      stack.admin().hangUpAll();
    }
  }

  /** Starts an answered call whose OpenAI session plays {@code turns} as its responses; returns that session. */
  private static DoubleSession answeredCall(String callId, Turn... turns) {
    return IncomingCalls.answered(stack.webhooks(), stack.whatsapp, stack.openai, callId, s -> {
      for (Turn t : turns) {
        s.enqueue(t);
      }
    }, WAIT);
  }

  /** The caller says something: turn detection commits it and the next scripted response starts. */
  private static void callerSpeaks(DoubleSession session) {
    session.speechStarted();
    session.speechStopped();
  }

  private static void terminate(String callId) {
    assertThat(stack.webhooks().send(Fixtures.withCallId("webhook-terminate-completed.json", callId)).statusCode()).isEqualTo(200);
    stack.admin().endedRecord(callId, WAIT);
  }

  private static boolean live(String callId) {
    return stack.admin().get("/api/calls").body().contains(callId);
  }

  /** The {@code function_call_output}s the app sent, in order. */
  private static List<JsonObject> outputs(DoubleSession session) {
    return session.received("conversation.item.create").stream().map(e -> e.getJsonObject("item"))
        .filter(i -> "function_call_output".equals(i.getString("type"))).toList();
  }

  /** The call ids of the function calls the double asked for, in order. */
  private static List<String> askedCallIds(DoubleSession session) {
    return session.sent("response.function_call_arguments.done").stream().map(e -> e.getString("call_id")).toList();
  }

  /** 20 ms frames the caller heard carrying the bot's tone. */
  private static int botToneFrames(short[] heard) {
    int frames = 0;
    for (int at = 0; at + 960 <= heard.length; at += 960) {
      short[] frame = Arrays.copyOfRange(heard, at, at + 960);
      if (Tones.rmsDbfs(frame) > -40 && Math.abs(Tones.dominantHz(frame, 48_000) - BOT_TONE_HZ) < 40) {
        frames++;
      }
    }
    return frames;
  }

  @Test
  void endCallPlaysTheGoodbyeToTheEndThenTerminatesTheCall() {
    String callId = Fixtures.newCallId("TL");
    int goodbyeMs = 1200;
    DoubleSession session = answeredCall(callId,
        Turn.of().audio(goodbyeMs, BOT_TONE_HZ, "Thank you for calling, goodbye.")
            .functionCall("end_call", "{\"reason\":\"the caller said goodbye\"}"));
    // kept: the endpoint still holds what the caller heard after the call released it
    WebRtcEndpointDouble caller = stack.kms.pipelineTagged("wavoice.call-id", callId).orElseThrow().webRtc();

    callerSpeaks(session);

    JsonObject record = stack.admin().endedRecord(callId, WAIT);
    assertThat(record.getString("endReason")).isEqualTo("AGENT_ENDED");
    assertThat(record.getString("outcome")).isEqualTo("COMPLETED");
    assertThat(record.getString("endDetail")).isEqualTo("the caller said goodbye");
    assertThat(stack.whatsapp.acceptedActions(callId)).containsExactly("pre_accept", "accept", "terminate");
    // the whole goodbye reached the caller before the hang-up (a frame or two may straddle its edges)
    assertThat(botToneFrames(caller.heardByCaller()) * 20).isGreaterThanOrEqualTo(goodbyeMs - 60);
    // the call's output went back; no new response was asked for (the goodbye was the last one)
    assertThat(outputs(session)).singleElement().satisfies(o -> {
      assertThat(o.getString("call_id")).isEqualTo(askedCallIds(session).get(0));
      assertThat(o.getString("output")).contains("\"status\":\"ending\"");
    });
    assertThat(session.received("response.create")).isEmpty();
    assertThat(record.getJsonArray("transcript").toString()).contains("Thank you for calling, goodbye.");
  }

  @Test
  void sendWhatsAppMessageTextsTheCallerAndTheResultGoesBackToTheModel() {
    String callId = Fixtures.newCallId("TL");
    String text = "Your order A-17 ships tomorrow: https://shop.example.test/o/A-17";
    DoubleSession session = answeredCall(callId,
        Turn.of().audio(300, BOT_TONE_HZ, "I am sending you the link.")
            .functionCall("send_whatsapp_message", "{\"text\":\"" + text + "\"}"),
        Turn.of().audio(300, BOT_TONE_HZ, "Done, you have it now."));
    int messagesBefore = stack.whatsapp.requests("messages").size();
    assertThat(session.received("session.update").get(0).getJsonObject("session").getJsonArray("tools").stream()
        .map(t -> t.asJsonObject().getString("name")).toList())
        .containsExactly("end_call", "send_whatsapp_message", DoublesStack.HTTP_TOOL);

    callerSpeaks(session);

    Await.until(WAIT, "the result back at OpenAI and a new response", () -> session.received("response.create").size() == 1);
    List<GraphRequest> sent = stack.whatsapp.requests("messages");
    assertThat(sent).hasSize(messagesBefore + 1);
    GraphRequest message = sent.get(sent.size() - 1);
    assertThat(message.status()).isEqualTo(200);
    assertThat(message.body().getString("to")).isEqualTo(CALLER);
    assertThat(message.body().getString("type")).isEqualTo("text");
    assertThat(message.body().getJsonObject("text").getString("body")).isEqualTo(text);
    JsonObject output = outputs(session).get(0);
    assertThat(output.getString("call_id")).isEqualTo(askedCallIds(session).get(0));
    assertThat(Fixtures.parse(output.getString("output")).getString("status")).isEqualTo("sent");
    assertThat(Fixtures.parse(output.getString("output")).getString("message_id")).startsWith("wamid.");
    // the output goes first, then the response that speaks about it
    List<String> order = session.receivedTypes().stream()
        .filter(t -> t.equals("conversation.item.create") || t.equals("response.create")).toList();
    assertThat(order).containsExactly("conversation.item.create", "response.create");
    Await.until(WAIT, "the agent's answer", () -> session.sent("response.done").size() == 2);
    assertThat(live(callId)).isTrue();
    terminate(callId);
  }

  @Test
  void theHttpToolIsCalledAsDocumentedAndItsReplyGoesBackToTheModel() {
    String callId = Fixtures.newCallId("TL");
    String reply = "{\"status\":\"shipped\",\"eta\":\"tomorrow\"}";
    stack.tools.answer(200, reply);
    int requestsBefore = stack.tools.requests().size();
    DoubleSession session = answeredCall(callId,
        Turn.of().functionCall(DoublesStack.HTTP_TOOL, "{\"order_id\":\"A-17\"}"),
        Turn.of().audio(300, BOT_TONE_HZ, "It ships tomorrow."));

    callerSpeaks(session);

    Await.until(WAIT, "the reply back at OpenAI and a new response", () -> session.received("response.create").size() == 1);
    List<ToolServer.Request> requests = stack.tools.requests();
    assertThat(requests).hasSize(requestsBefore + 1);
    ToolServer.Request request = requests.get(requests.size() - 1);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo(DoublesStack.HTTP_TOOL_PATH);
    assertThat(request.body()).isEqualTo("{\"order_id\":\"A-17\"}");
    assertThat(request.header("Content-Type")).isEqualTo("application/json");
    assertThat(request.header("Authorization")).isEqualTo(DoublesStack.HTTP_TOOL_AUTHORIZATION);
    assertThat(request.header("X-Wavoice-Call-Id")).isEqualTo(callId);
    assertThat(request.header("X-Wavoice-Tool-Call-Id")).isEqualTo(askedCallIds(session).get(0));
    assertThat(outputs(session)).singleElement().satisfies(o -> {
      assertThat(o.getString("call_id")).isEqualTo(askedCallIds(session).get(0));
      assertThat(o.getString("output")).isEqualTo(reply);
    });
    Await.until(WAIT, "the agent's answer", () -> session.sent("response.done").size() == 2);
    terminate(callId);
  }

  @Test
  void eachFailureOfTheHttpToolReachesTheModelAsAClearErrorAndTheCallGoesOn() {
    String callId = Fixtures.newCallId("TL");
    int timeoutMs = DoublesStack.HTTP_TOOL_TIMEOUT_MS;
    stack.tools.then(
        Reply.of(503, "{\"message\":\"maintenance\"}"),
        Reply.stalled(),
        Reply.of(200, "{\"notes\":\"" + "x".repeat(20_000) + "\"}"),
        // headers at once, then one byte every 100 ms: the whole reply would take seconds
        Reply.dripped("{\"status\":\"shipped\",\"eta\":\"tomorrow\",\"more\":\"" + "y".repeat(60) + "\"}", Duration.ofMillis(100)),
        Reply.of(200, "{\"status\":\"shipped\"}"));
    Turn lookup = Turn.of().functionCall(DoublesStack.HTTP_TOOL, "{\"order_id\":\"A-17\"}");
    DoubleSession session = answeredCall(callId, lookup, lookup, lookup, lookup, lookup,
        Turn.of().audio(300, BOT_TONE_HZ, "It has shipped."));

    callerSpeaks(session);

    // each output leads to a new response, which asks for the next lookup: five round trips in one call
    Await.until(Duration.ofSeconds(40), "five outputs and the final answer", () -> outputs(session).size() == 5
        && session.sent("response.done").size() == 6);
    List<String> asked = askedCallIds(session);
    List<JsonObject> outputs = outputs(session);
    for (int i = 0; i < 5; i++) {
      assertThat(outputs.get(i).getString("call_id")).isEqualTo(asked.get(i));
    }
    assertThat(Fixtures.parse(outputs.get(0).getString("output")).getString("error")).isEqualTo("the tool answered HTTP 503");
    assertThat(outputs.get(0).getString("output")).contains("maintenance");
    assertThat(Fixtures.parse(outputs.get(1).getString("output")).getString("error"))
        .isEqualTo("the tool timed out after " + timeoutMs + " ms");
    assertThat(Fixtures.parse(outputs.get(2).getString("output")).getString("error"))
        .isEqualTo("the tool's reply is larger than 16384 bytes");
    assertThat(Fixtures.parse(outputs.get(3).getString("output")).getString("error"))
        .isEqualTo("the tool timed out after " + timeoutMs + " ms");
    assertThat(outputs.get(4).getString("output")).isEqualTo("{\"status\":\"shipped\"}");
    assertThat(session.received("response.create")).hasSize(5);
    assertThat(live(callId)).isTrue();
    assertThat(session.isClosed()).isFalse();
    terminate(callId);
    JsonObject record = stack.admin().call(callId);
    assertThat(record.getString("endReason")).isEqualTo("REMOTE_TERMINATE");
  }
}
