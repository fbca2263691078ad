package dev.wavoice.testprobe;

import dev.wavoice.CallId;
import dev.wavoice.audio.AudioCodec;
import dev.wavoice.audio.AudioPlane;
import dev.wavoice.audio.CallAudio;
import dev.wavoice.audio.CallAudioStats;
import dev.wavoice.audio.InboundAudioSink;
import dev.wavoice.audio.PacerStats;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test-only: drives the app's audio plane from outside, as the call layer and the bridge will, so an
 * integration test can check it inside the container (CDI wiring, the pacer thread, the port range).
 */
@Path("audio")
@ApplicationScoped
public class AudioProbe {

  @Inject AudioPlane plane;

  private final Map<String, CallAudio> calls = new ConcurrentHashMap<>();

  /** Opens a call's audio and points it at {@code target} (host:port); answers its id, port and SSRC. */
  @POST
  @Path("calls")
  @Produces(MediaType.APPLICATION_JSON)
  public String open(@QueryParam("id") String id, @QueryParam("codec") String codec, @QueryParam("target") String target) {
    CallAudio audio = plane.open(new CallId(id), AudioCodec.fromConfig(codec));
    calls.put(id, audio);
    audio.attach(InboundAudioSink.DISCARD);
    int colon = target.lastIndexOf(':');
    audio.start(new InetSocketAddress(target.substring(0, colon), Integer.parseInt(target.substring(colon + 1))));
    return Json.createObjectBuilder()
        .add("port", audio.localAddress().getPort())
        .add("ssrc", audio.ssrc())
        .add("cname", audio.cname())
        .build().toString();
  }

  /** Queues bot audio (the body, in the codec's OpenAI format) as item {@code item}, and ends the item. */
  @POST
  @Path("calls/{id}/play")
  public void play(@PathParam("id") String id, @QueryParam("item") String item, byte[] audio) {
    CallAudio call = call(id);
    call.outbound().enqueue(item, audio);
    call.outbound().end(item);
  }

  @GET
  @Path("calls/{id}")
  @Produces(MediaType.APPLICATION_JSON)
  public String stats(@PathParam("id") String id) {
    CallAudioStats stats = call(id).stats();
    return Json.createObjectBuilder()
        .add("packets", stats.inbound().packets())
        .add("framesDelivered", stats.inbound().framesDelivered())
        .add("audioFramesSent", stats.outbound().audioFramesSent())
        .add("silenceFramesSent", stats.outbound().silenceFramesSent())
        .add("rtcpReportsSent", stats.rtcp().reportsSent())
        .build().toString();
  }

  @DELETE
  @Path("calls/{id}")
  public void close(@PathParam("id") String id) {
    call(id).close();
    calls.remove(id);
  }

  @GET
  @Path("pacer")
  @Produces(MediaType.APPLICATION_JSON)
  public String pacer() {
    PacerStats stats = plane.pacerStats();
    return Json.createObjectBuilder()
        .add("streams", stats.streams())
        .add("ticks", stats.ticks())
        .add("openCalls", plane.openCalls())
        .build().toString();
  }

  private CallAudio call(String id) {
    CallAudio audio = calls.get(id);
    if (audio == null) {
      throw new NotFoundException("no call audio " + id);
    }
    return audio;
  }
}
