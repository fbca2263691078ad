package dev.wavoice.bridge;

import dev.wavoice.audio.RtpRemote;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.CallId;
import dev.wavoice.WireJson;
import dev.wavoice.audio.AudioCodec;
import dev.wavoice.audio.AudioPlane;
import dev.wavoice.audio.AudioSettings;
import dev.wavoice.audio.Pacer;
import dev.wavoice.audio.PortRange;
import dev.wavoice.realtime.Prices;
import dev.wavoice.realtime.RealtimeClient;
import dev.wavoice.realtime.RealtimeSettings;
import dev.wavoice.realtime.RealtimeWire.TurnDetection;
import dev.wavoice.testkit.openai.OpenAiRealtimeDouble;
import dev.wavoice.whatsapp.GraphApi;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;

/**
 * The real bridge as the call layer uses it, over real sockets: the real audio plane (RTP sockets from
 * a free loopback range) with a pacer that ticks only when the test says so, the real Realtime client
 * against the strict OpenAI double, and a {@link KurentoPeer} for Kurento's RtpEndpoint.
 */
final class BridgeHarness implements AutoCloseable {

  static final String KEY = "test-openai-key-test-bridge-71c3";
  static final String CALLER = "13175550123";
  static final Duration WAIT = Duration.ofSeconds(10);
  static final long FRAME_NANOS = Pacer.FRAME_NANOS;

  final ManualClock clock = new ManualClock();
  final Pacer pacer = new Pacer(clock);
  final OpenAiRealtimeDouble openai = OpenAiRealtimeDouble.start(KEY);
  final KurentoPeer kurento = new KurentoPeer();
  final RecordingBridgeListener listener = new RecordingBridgeListener();
  final AudioPlane plane;
  final RealtimeClient client;
  final RealtimeBridgeFactory factory;
  final RealtimeSettings realtimeSettings;
  private final List<CallBridge> bridges = new ArrayList<>();

  BridgeHarness() {
    this(UnaryOperator.identity(), BridgeSettings.defaults(), null, BridgeMetrics.NONE);
  }

  BridgeHarness(UnaryOperator<RealtimeSettings> realtime, BridgeSettings bridge, GraphApi graph, BridgeMetrics metrics) {
    this(realtime, bridge, graph, metrics, RecordingSettings.disabled());
  }

  BridgeHarness(UnaryOperator<RealtimeSettings> realtime, BridgeSettings bridge, GraphApi graph, BridgeMetrics metrics,
      RecordingSettings recording) {
    // the tests speak for the caller themselves (speechStarted/speechStopped): no energy detection
    openai.configureEverySession(s -> s.autoVad(false));
    AudioSettings defaults = AudioSettings.defaults();
    plane = new AudioPlane(new AudioSettings(InetAddress.getLoopbackAddress(), freeRange(4), defaults.reorderDepthFrames(),
        defaults.rtcpInterval(), defaults.outboundQueueFrames(), defaults.opusBitrateBps(), defaults.opusComplexity()),
        pacer, Clock.systemUTC(), clock, Runnable::run); // frames encoded in place: the test ticks by hand
    realtimeSettings = realtime.apply(RealtimeSettings.builder().url(URI.create(openai.url())).apiKey(KEY)
        .model("gpt-realtime").connectTimeout(Duration.ofSeconds(3)).rolloverAfter(Duration.ofMinutes(55))
        .keepalive(Duration.ofSeconds(15)).instructions("You are the wavoice test agent.").voice("marin").speed(1.0)
        .turnDetection(new TurnDetection("server_vad", 0.5, 300, 500, null, null, true, true))
        .transcriptionModel("gpt-4o-mini-transcribe").transcriptionLanguage("en").noiseReduction("near_field")
        .prices(Prices.GPT_REALTIME).build());
    client = new RealtimeClient(() -> realtimeSettings, WireJson.create());
    factory = new RealtimeBridgeFactory(plane, client, graph, bridge, recording, metrics, BridgeTimings.NONE, Clock.systemUTC(),
        clock);
  }

  /** A new bridge for a WhatsApp call, not yet prepared. */
  RealtimeCallBridge bridge(AudioCodec codec) {
    return bridge(new CallContext(new CallId("wacid.bridge-" + System.nanoTime()), "whatsapp", CALLER, "Ada", codec));
  }

  RealtimeCallBridge bridge(CallContext context) {
    RealtimeCallBridge bridge = (RealtimeCallBridge) factory.create(context, listener);
    bridges.add(bridge);
    return bridge;
  }

  /** As the call layer does up to WhatsApp's accept: prepare (waiting for OpenAI), point RTP at Kurento, start. */
  RealtimeCallBridge started(AudioCodec codec) {
    RealtimeCallBridge bridge = bridge(codec);
    bridge.prepare().toCompletableFuture().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join();
    bridge.connectRtp(RtpRemote.at(kurento.rtpTarget()));
    bridge.start();
    return bridge;
  }

  /** Where the caller's RTP goes: the bridge's leg. */
  static InetSocketAddress leg(CallBridge bridge) {
    return bridge.rtpLeg().address();
  }

  /** One pacer tick: exactly one packet reaches Kurento (for the one call), and nothing else. */
  KurentoPeer.Packet tick() {
    pacer.tick();
    clock.advance(FRAME_NANOS);
    KurentoPeer.Packet packet = kurento.poll();
    assertThat(packet).as("a packet for the tick").isNotNull();
    assertThat(kurento.poll()).as("a second packet in the same tick").isNull();
    return packet;
  }

  private boolean closed;

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    bridges.forEach(CallBridge::close);
    factory.close();
    client.close();
    kurento.close();
    openai.close();
    openai.assertNoViolations();
  }

  private static PortRange freeRange(int pairs) {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    for (int attempt = 0; attempt < 200; attempt++) {
      int first = 20_000 + 2 * ThreadLocalRandom.current().nextInt(5_000);
      List<DatagramSocket> held = new ArrayList<>();
      try {
        for (int port = first; port < first + 2 * pairs; port++) {
          held.add(new DatagramSocket(new InetSocketAddress(loopback, port)));
        }
        return new PortRange(first, first + 2 * pairs - 1);
      } catch (SocketException taken) {
        // try another stretch
      } finally {
        held.forEach(DatagramSocket::close);
      }
    }
    throw new IllegalStateException("no free run of " + pairs + " UDP port pairs on loopback");
  }
}
