package dev.wavoice.testprobe;

import dev.wavoice.CallId;
import dev.wavoice.bridge.WhatsAppMessageTool;
import dev.wavoice.realtime.AudioDelta;
import dev.wavoice.realtime.RealtimeClient;
import dev.wavoice.realtime.RealtimeWire.AudioFormat;
import dev.wavoice.realtime.RealtimeFailure;
import dev.wavoice.realtime.RealtimeListener;
import dev.wavoice.realtime.RealtimeSession;
import dev.wavoice.realtime.ResponseSummary;
import dev.wavoice.realtime.ToolHandler;
import dev.wavoice.realtime.ToolResult;
import dev.wavoice.whatsapp.GraphApi;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test-only: {@code POST /test-probe/realtime?caller=&responses=} opens an OpenAI Realtime session the
 * way a call does (through the app's {@link RealtimeClient}, with {@code send_whatsapp_message} when a caller is given), asks for one response, waits for
 * {@code responses} responses to be done, closes it and tells what happened.
 */
@Path("realtime")
@RequestScoped
public class RealtimeProbe {

  @Inject RealtimeClient client;
  @Inject GraphApi graph;

  @POST
  @Produces(MediaType.APPLICATION_JSON)
  public String converse(@QueryParam("caller") String caller, @QueryParam("responses") Integer responses)
      throws Exception {
    int wanted = responses == null ? 1 : responses;
    CountDownLatch done = new CountDownLatch(wanted);
    List<ResponseSummary> summaries = new CopyOnWriteArrayList<>();
    List<String> bot = new CopyOnWriteArrayList<>();
    List<ToolResult> tools = new CopyOnWriteArrayList<>();
    List<String> failures = new CopyOnWriteArrayList<>();
    AtomicLong audioBytes = new AtomicLong();
    RealtimeListener listener = new RealtimeListener() {
      @Override
      public void audioDelta(AudioDelta delta) {
        audioBytes.addAndGet(delta.audio().length);
      }

      @Override
      public void botTranscript(String responseId, String itemId, String text) {
        bot.add(text);
      }

      @Override
      public void responseDone(ResponseSummary summary) {
        summaries.add(summary);
        done.countDown();
      }

      @Override
      public void toolCall(ToolResult result) {
        tools.add(result);
      }

      @Override
      public void failed(RealtimeFailure failure) {
        failures.add(failure.toString());
      }
    };
    var out = Json.createObjectBuilder();
    CallId callId = new CallId("wacid.probe-" + System.nanoTime());
    List<ToolHandler> callTools = caller == null ? List.of() : List.of(new WhatsAppMessageTool(graph, caller, "probe " + callId));
    try (RealtimeSession session = client.open(callId, AudioFormat.PCMU, callTools, listener)
        .get(20, TimeUnit.SECONDS)) {
      session.requestResponse();
      out.add("all_done", done.await(20, TimeUnit.SECONDS));
      out.add("session_id", session.sessionId());
      out.add("usage_total", session.usage().total());
      out.add("cost_usd", session.estimatedCostUsd());
    }
    JsonArrayBuilder statuses = Json.createArrayBuilder();
    summaries.forEach(s -> statuses.add(s.status()));
    JsonArrayBuilder lines = Json.createArrayBuilder();
    bot.forEach(lines::add);
    JsonArrayBuilder toolResults = Json.createArrayBuilder();
    tools.forEach(t -> toolResults.add(Json.createObjectBuilder().add("name", t.call().name()).add("ok", t.ok())
        .add("output", t.output())));
    JsonArrayBuilder failed = Json.createArrayBuilder();
    failures.forEach(failed::add);
    return out.add("statuses", statuses).add("bot", lines).add("tools", toolResults).add("failures", failed)
        .add("audio_bytes", audioBytes.get()).build().toString();
  }
}
