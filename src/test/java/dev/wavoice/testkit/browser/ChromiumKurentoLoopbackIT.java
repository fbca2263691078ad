package dev.wavoice.testkit.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.app.Stacks;
import dev.wavoice.testkit.kms.RealKms;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.kurento.client.IceCandidate;
import org.kurento.client.KurentoClient;
import org.kurento.client.MediaPipeline;
import org.kurento.client.WebRtcEndpoint;

/**
 * Headless Chromium makes a WebRTC call to the real Kurento Media Server on loopback: a plain
 * RTCPeerConnection with the fake microphone, trickle ICE both ways, a WebRtcEndpoint that echoes what it
 * hears. This is what the browser tests of the console and the softphone stand on. It also shows what
 * two of the WebRTC flags are for: without {@code --allow-loopback-in-peer-connection} Chromium offers no
 * loopback candidate, and a page without media permission hides its host candidates behind mDNS names
 * unless that feature is off.
 */
@Tag("browser")
@ExtendWith(Stacks.class)
class ChromiumKurentoLoopbackIT {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private static RealKms kms;
  private static KurentoClient kurento;
  private static HttpServer page;

  @BeforeAll
  static void start(RealKms real) throws IOException {
    kms = real;
    kurento = KurentoClient.create(kms.url());
    page = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    byte[] html = "<!doctype html><meta charset=utf-8><title>loopback</title><p>loopback".getBytes(StandardCharsets.UTF_8);
    page.createContext("/", exchange -> {
      exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
      exchange.sendResponseHeaders(200, html.length);
      exchange.getResponseBody().write(html);
      exchange.close();
    });
    page.start();
  }

  @AfterAll
  static void stop() {
    if (kurento != null) {
      kurento.destroy();
    }
    if (page != null) {
      page.stop(0);
    }
  }

  @Test
  void chromiumCallsKurentoOnLoopbackAndHearsTheEcho() {
    try (Chromium chromium = Chromium.start(440)) {
      Call call = call(chromium);
      try {
        assertThat(call.browserCandidates()).as("Chromium's candidates").anyMatch(c -> c.contains(" 127.0.0.1 "))
            .noneMatch(c -> c.contains(".local "));
        Await.until(WAIT, "the peer connection to be connected", () -> "connected".equals(
            chromium.script("return window.pc.connectionState;")));
        // Kurento's end is loopback; Chromium's may be another address of this machine (it ranks loopback
        // networks lower), which the kernel routes through lo as well: nothing leaves the machine
        List<Object> pair = selectedPair(chromium);
        assertThat(pair).as("the selected candidate pair (local, remote)").hasSize(2);
        assertThat(pair.get(1)).as("Kurento's end of the selected pair").isEqualTo("127.0.0.1");
        // the echo of the fake microphone's tone comes back: inbound audio bytes and a level above silence
        // (Chromium computes the inbound level only while the track plays, as the page's <audio> does)
        Map<?, ?> inbound = Await.value(WAIT, "echoed audio with a level", () -> {
          Map<?, ?> stats = inboundAudio(chromium);
          return stats != null && ((Number) stats.get("bytesReceived")).longValue() > 4000
              && ((Number) stats.get("audioLevel")).doubleValue() > 0.001 ? stats : null;
        });
        assertThat(((Number) inbound.get("packetsReceived")).longValue()).isGreaterThan(20);
      } finally {
        call.close();
      }
    }
  }

  @Test
  void withoutLoopbackInPeerConnectionChromiumOffersNoLoopbackCandidate() {
    // it offers the machine's interface addresses instead: a loopback-only Kurento is then reached only
    // because the kernel routes the machine's own addresses through lo, and not at all on a machine with
    // no other interface
    try (Chromium chromium = Chromium.start(440, Set.of(Chromium.ALLOW_LOOPBACK))) {
      assertThat(gather(chromium, true)).as("Chromium's candidates without " + Chromium.ALLOW_LOOPBACK)
          .isNotEmpty()
          .noneMatch(c -> c.contains(" 127.0.0.1 ") || c.contains(" ::1 "));
    }
  }

  @Test
  void mdnsNamesHideHostCandidatesOnlyWithoutMediaPermission() {
    // a page with no microphone permission gets .local names that Kurento cannot resolve
    try (Chromium chromium = Chromium.start(440, Set.of(Chromium.NO_MDNS, Chromium.FAKE_UI))) {
      assertThat(gather(chromium, false)).as("candidates of a page without media permission, mDNS on")
          .isNotEmpty()
          .allMatch(c -> c.contains(".local "));
    }
    // switching the feature off shows the addresses even then (those of the default route's interface
    // only: without the permission Chromium gathers no loopback); with the permission (the softphone asks
    // for the microphone, the fake UI grants it) Chromium shows every address anyway
    try (Chromium chromium = Chromium.start(440, Set.of(Chromium.FAKE_UI))) {
      assertThat(gather(chromium, false)).as("candidates of a page without media permission, mDNS off")
          .isNotEmpty()
          .noneMatch(c -> c.contains(".local "));
    }
    try (Chromium chromium = Chromium.start(440, Set.of(Chromium.NO_MDNS))) {
      assertThat(gather(chromium, true)).as("candidates of a page with the microphone, mDNS on")
          .anyMatch(c -> c.contains(" 127.0.0.1 "))
          .noneMatch(c -> c.contains(".local "));
    }
  }

  /** Creates the page's peer connection (with the microphone or receive-only) and makes its offer. */
  private static String offer(Chromium chromium, boolean microphone) {
    chromium.open("http://127.0.0.1:" + page.getAddress().getPort() + "/");
    return (String) chromium.await("""
        window.candidates = [];
        window.gathered = false;
        const pc = window.pc = new RTCPeerConnection();
        pc.onicecandidate = e => e.candidate ? window.candidates.push(e.candidate.toJSON()) : (window.gathered = true);
        pc.ontrack = e => {
          const audio = document.createElement('audio');
          audio.autoplay = true;
          audio.srcObject = new MediaStream([e.track]);
          document.body.append(audio);
        };
        if (arguments[0]) {
          const mic = await navigator.mediaDevices.getUserMedia({audio: true});
          mic.getTracks().forEach(t => pc.addTrack(t, mic));
        } else {
          pc.addTransceiver('audio', {direction: 'recvonly'});
        }
        await pc.setLocalDescription(await pc.createOffer());
        return pc.localDescription.sdp;
        """, microphone);
  }

  /** Chromium's candidates for a fresh offer. */
  private static List<String> gather(Chromium chromium, boolean microphone) {
    offer(chromium, microphone);
    return candidates(chromium).stream().map(c -> (String) c.get("candidate")).toList();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> candidates(Chromium chromium) {
    Await.until(WAIT, "Chromium to finish gathering", () -> Boolean.TRUE.equals(chromium.script("return window.gathered;")));
    return (List<Map<String, Object>>) chromium.script("return window.candidates;");
  }

  /** One call from the page to an echoing WebRtcEndpoint, trickling both ways; returns when both sides have everything. */
  private static Call call(Chromium chromium) {
    String offer = offer(chromium, true);
    MediaPipeline pipeline = kurento.createMediaPipeline();
    WebRtcEndpoint webRtc = new WebRtcEndpoint.Builder(pipeline).build();
    webRtc.connect(webRtc); // echo
    List<IceCandidate> kmsCandidates = new CopyOnWriteArrayList<>();
    webRtc.addIceCandidateFoundListener(e -> kmsCandidates.add(e.getCandidate()));
    String answer = webRtc.processOffer(offer);
    webRtc.gatherCandidates();
    chromium.await("await window.pc.setRemoteDescription({type: 'answer', sdp: arguments[0]});", answer);

    List<Map<String, Object>> fromBrowser = candidates(chromium);
    for (Map<String, Object> c : fromBrowser) {
      webRtc.addIceCandidate(new IceCandidate((String) c.get("candidate"), (String) c.get("sdpMid"),
          ((Number) c.get("sdpMLineIndex")).intValue()));
    }
    Await.until(WAIT, "Kurento's candidates", () -> !kmsCandidates.isEmpty());
    for (IceCandidate c : kmsCandidates) {
      chromium.await("await window.pc.addIceCandidate(arguments[0]);",
          Map.of("candidate", c.getCandidate(), "sdpMid", c.getSdpMid(), "sdpMLineIndex", c.getSdpMLineIndex()));
    }
    return new Call(pipeline, fromBrowser.stream().map(c -> (String) c.get("candidate")).toList());
  }

  /** The addresses of the selected candidate pair, as Chromium's stats name them: [local, remote]. */
  private static List<Object> selectedPair(Chromium chromium) {
    return List.copyOf((List<?>) chromium.await("""
        const report = await window.pc.getStats();
        for (const s of report.values()) {
          if (s.type === 'transport' && s.selectedCandidatePairId) {
            const pair = report.get(s.selectedCandidatePairId);
            return [report.get(pair.localCandidateId).address, report.get(pair.remoteCandidateId).address];
          }
        }
        return [];
        """));
  }

  private static Map<?, ?> inboundAudio(Chromium chromium) {
    return (Map<?, ?>) chromium.await("""
        const report = await window.pc.getStats();
        for (const s of report.values()) {
          if (s.type === 'inbound-rtp' && s.kind === 'audio') {
            return {bytesReceived: s.bytesReceived || 0, packetsReceived: s.packetsReceived || 0, audioLevel: s.audioLevel || 0};
          }
        }
        return null;
        """);
  }

  private record Call(MediaPipeline pipeline, List<String> browserCandidates) {
    void close() {
      pipeline.release();
    }
  }
}
