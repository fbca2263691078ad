package dev.wavoice.testprobe;

import dev.wavoice.CallId;
import dev.wavoice.audio.AudioCodec;
import dev.wavoice.bridge.BridgeFactory;
import dev.wavoice.bridge.BridgeListener;
import dev.wavoice.bridge.BridgeResult;
import dev.wavoice.bridge.CallBridge;
import dev.wavoice.bridge.CallContext;
import dev.wavoice.bridge.TranscriptLine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Test-only: drives the app's {@link BridgeFactory} (whatever CDI wires in) as the call layer does:
 * {@code POST /test-probe/bridge/calls?id=&codec=&caller=&target=host:port} creates, prepares (waiting for
 * OpenAI), connects RTP to {@code target} and starts a bridge; {@code GET .../calls/{id}} tells what the
 * bridge reported; {@code DELETE .../calls/{id}} closes it and answers its result.
 */
@Path("bridge")
@ApplicationScoped
public class BridgeProbe {

  @Inject BridgeFactory factory;

  private final Map<String, Call> calls = new ConcurrentHashMap<>();

  private static final class Call implements BridgeListener {
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<TranscriptLine> lines = new CopyOnWriteArrayList<>();
    volatile CallBridge bridge;

    @Override
    public void endRequested(String detail) {
      events.add("end requested: " + detail);
    }

    @Override
    public void failed(String detail) {
      events.add("failed: " + detail);
    }

    @Override
    public void firstBotAudio(Instant at) {
      events.add("first bot audio");
    }

    @Override
    public void transcriptLine(TranscriptLine line) {
      lines.add(line);
    }
  }

  @POST
  @Path("calls")
  @Produces(MediaType.APPLICATION_JSON)
  public String open(@QueryParam("id") String id, @QueryParam("codec") String codec, @QueryParam("caller") String caller,
      @QueryParam("target") String target) throws Exception {
    Call call = new Call();
    CallBridge bridge = factory.create(new CallContext(new CallId(id), "whatsapp", caller, "Probe", AudioCodec.fromConfig(codec)), call);
    call.bridge = bridge;
    calls.put(id, call);
    bridge.prepare().toCompletableFuture().get(20, TimeUnit.SECONDS);
    int colon = target.lastIndexOf(':');
    bridge.connectRtp(dev.wavoice.audio.RtpRemote.at(new InetSocketAddress(target.substring(0, colon), Integer.parseInt(target.substring(colon + 1)))));
    bridge.start();
    return Json.createObjectBuilder()
        .add("factory", factory.getClass().getName())
        .add("host", bridge.rtpLeg().address().getAddress().getHostAddress())
        .add("port", bridge.rtpLeg().address().getPort())
        .add("ssrc", bridge.rtpLeg().ssrc())
        .add("codec", bridge.rtpLeg().codec().name())
        .build().toString();
  }

  @GET
  @Path("calls/{id}")
  @Produces(MediaType.APPLICATION_JSON)
  public String reported(@PathParam("id") String id) {
    Call call = call(id);
    JsonArrayBuilder events = Json.createArrayBuilder();
    call.events.forEach(events::add);
    return Json.createObjectBuilder().add("events", events).add("lines", lines(call.lines)).build().toString();
  }

  @DELETE
  @Path("calls/{id}")
  @Produces(MediaType.APPLICATION_JSON)
  public String close(@PathParam("id") String id) {
    BridgeResult result = call(id).bridge.close();
    BridgeResult again = call(id).bridge.close();
    calls.remove(id);
    return Json.createObjectBuilder()
        .add("same_result_again", again == result)
        .add("barge_ins", result.bargeIns())
        .add("input_audio_tokens", result.inputAudioTokens())
        .add("output_audio_tokens", result.outputAudioTokens())
        .add("cost_usd", result.estimatedCostUsd())
        .add("transcript", lines(result.transcript()))
        .build().toString();
  }

  private static JsonArrayBuilder lines(List<TranscriptLine> lines) {
    JsonArrayBuilder out = Json.createArrayBuilder();
    for (TranscriptLine line : lines) {
      JsonObjectBuilder l = Json.createObjectBuilder().add("speaker", line.speaker()).add("at", line.at().toString())
          .add("text", line.text()).add("interrupted", line.interrupted());
      out.add(l);
    }
    return out;
  }

  private Call call(String id) {
    Call call = calls.get(id);
    if (call == null) {
      throw new NotFoundException("no bridge " + id);
    }
    return call;
  }
}
