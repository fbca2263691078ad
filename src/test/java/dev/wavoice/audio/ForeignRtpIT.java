package dev.wavoice.audio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.Fixtures;
import dev.wavoice.testkit.app.RealKmsStack;
import dev.wavoice.testkit.app.Stacks;
import dev.wavoice.testkit.audio.Tones;
import dev.wavoice.testkit.openai.DoubleSession;
import dev.wavoice.testkit.openai.Turn;
import dev.wavoice.testkit.whatsapp.GraphRequest;
import dev.wavoice.testkit.whatsapp.WebhookSender;
import dev.wavoice.testkit.whatsapp.WhatsAppPeer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.kurento.client.KurentoClient;
import org.kurento.client.MediaObject;
import org.kurento.client.MediaPipeline;
import org.kurento.client.RtpEndpoint;

/**
 * During a real call through the real Kurento, strangers send to the call's RTP and RTCP ports: a socket
 * of this host (another source), and datagrams forged to come from the RtpEndpoint's own address and port
 * with another SSRC. The caller's audio at OpenAI is the caller's alone, the call goes on, and every
 * stranger's datagram is counted as dropped, by reason.
 */
@Tag("real-kms")
@ExtendWith(Stacks.class)
class ForeignRtpIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int CALLER_TONE_HZ = 440;
  private static final int STRANGER_TONE_HZ = 1500;
  private static final int CALL_SECONDS = 12;
  private static final int STRANGER_RTP = 50;
  private static final int FORGED_RTP = 50;
  private static final int STRANGER_RTCP = 5;
  private static final Pattern DROPPED = Pattern.compile(
      "^wavoice_rtp_foreign_packets_dropped_total\\{[^}]*reason=\"([a-z_]+)\"[^}]*\\} ([0-9.eE+]+)$", Pattern.MULTILINE);

  private static RealKmsStack stack;
  private static WebhookSender meta;

  @BeforeAll
  static void start(RealKmsStack real) {
    stack = real;
    meta = real.webhooks();
  }

  @AfterEach
  void noProtocolViolations() {
    stack.openai.assertNoViolations();
  }

  @Test
  void strangersSendingToACallsPortsAreDroppedAndCountedAndTheCallerIsHeardAlone() throws Exception {
    String callId = "wacid.RF" + UUID.randomUUID().toString().replace("-", "");
    int sessionsBefore = stack.openai.sessions().size();
    stack.openai.configureNextSession(s -> s.autoVad(false).enqueue(Turn.of().audio(1000, 660, "Hello.")));

    try (WhatsAppPeer whatsapp = WhatsAppPeer.offering(CALL_SECONDS, CALLER_TONE_HZ)) {
      assertThat(meta.send(Fixtures.connectWithOffer(callId, whatsapp.awaitOffer())).statusCode()).isEqualTo(200);
      GraphRequest preAccept = Await.value(WAIT, "pre_accept",
          () -> stack.whatsapp.callActions(callId).stream().filter(r -> "pre_accept".equals(r.action())).findFirst().orElse(null));
      whatsapp.answer(preAccept.sdp());
      Await.until(WAIT, "accept", () -> stack.whatsapp.acceptedActions(callId).contains("accept"));
      DoubleSession session = stack.openai.awaitSession(sessionsBefore, WAIT);
      Await.until(WAIT, "caller audio at OpenAI", () -> session.inputAudioBytes() >= 8_000);

      Ports ports = ports(callId);
      Map<ForeignPackets.Reason, Long> before = dropped();
      long mark = session.inputAudioBytes();

      InetSocketAddress appRtp = new InetSocketAddress(InetAddress.getLoopbackAddress(), ports.app());
      InetSocketAddress appRtcp = new InetSocketAddress(InetAddress.getLoopbackAddress(), ports.app() + 1);
      try (DatagramSocket stranger = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
        for (int i = 0; i < STRANGER_RTP; i++) {
          send(stranger, appRtp, strangerPacket(0x0BADL, i));
        }
        for (int i = 0; i < STRANGER_RTCP; i++) {
          send(stranger, appRtcp, receiverReport(0x0BADL));
        }
      }
      StringBuilder forged = new StringBuilder();
      for (int i = 0; i < FORGED_RTP; i++) {
        forged.append(HexFormat.of().formatHex(strangerPacket(0x5EC0DL, i))).append('\n');
      }
      assertThat(spoof("127.0.0.1", ports.kurento(), appRtp, forged.toString())).isEqualTo(FORGED_RTP);

      Await.until(WAIT, "every stranger's datagram counted", () -> {
        Map<ForeignPackets.Reason, Long> now = dropped();
        return delta(now, before, ForeignPackets.Reason.RTP_SOURCE) >= STRANGER_RTP
            && delta(now, before, ForeignPackets.Reason.RTP_SSRC) >= FORGED_RTP
            && delta(now, before, ForeignPackets.Reason.RTCP_SOURCE) >= STRANGER_RTCP;
      });
      Map<ForeignPackets.Reason, Long> after = dropped();
      assertThat(delta(after, before, ForeignPackets.Reason.RTP_SOURCE)).isEqualTo(STRANGER_RTP);
      assertThat(delta(after, before, ForeignPackets.Reason.RTP_SSRC)).as("forged from Kurento's port, another SSRC")
          .isEqualTo(FORGED_RTP);
      assertThat(delta(after, before, ForeignPackets.Reason.RTCP_SOURCE)).isEqualTo(STRANGER_RTCP);
      assertThat(delta(after, before, ForeignPackets.Reason.EARLY)).isZero();

      // two more seconds of the caller: what OpenAI got since the strangers started is the caller's tone only
      Await.until(WAIT, "two more seconds of caller audio", () -> session.inputAudioBytes() >= mark + 16_000);
      byte[] heard = session.inputAudio();
      short[] since = Tones.fromMulaw(heard, (int) mark, heard.length - (int) mark);
      assertThat(Tones.dominantHz(since, 8_000)).as("the caller's tone").isCloseTo(CALLER_TONE_HZ, Offset.offset(30.0));
      assertThat(Tones.power(since, STRANGER_TONE_HZ, 8_000))
          .as("no stranger's tone: 30 dB below the caller's").isLessThan(Tones.power(since, CALLER_TONE_HZ, 8_000) / 1000);
      session.speechStarted();
      session.speechStopped();

      WhatsAppPeer.Report report = whatsapp.awaitReport(Duration.ofSeconds(CALL_SECONDS + 30));
      assertThat(report.dtlsConnected()).as(report.raw()).isTrue();
      assertThat(report.heardAudioMs()).as("the agent's side went on: " + report.raw()).isGreaterThan((CALL_SECONDS - 2) * 1000L);
      assertThat(report.exitCode()).as(whatsapp.log()).isZero();
    }
    assertThat(meta.send(Fixtures.withCallId("webhook-terminate-completed.json", callId)).statusCode()).isEqualTo(200);
    Await.until(WAIT, "the call ended by Meta's terminate", () -> {
      var r = stack.admin().get("/api/calls/" + callId);
      return r.statusCode() == 200 && Fixtures.parse(r.body()).getString("endReason", "").equals("REMOTE_TERMINATE");
    });
  }

  /** The call's RTP ports: ours (the RtpEndpoint's remote SDP, our offer) and Kurento's (its answer). */
  record Ports(int app, int kurento) {}

  private static Ports ports(String callId) {
    KurentoClient kurento = KurentoClient.create(stack.kms.url());
    try {
      MediaPipeline pipeline = kurento.getServerManager().getPipelines().stream()
          .filter(p -> p.getTags().stream().anyMatch(t -> callId.equals(t.getValue()))).findFirst().orElseThrow();
      MediaObject child = pipeline.getChildren().stream().filter(c -> c.getId().endsWith("_kurento.RtpEndpoint"))
          .findFirst().orElseThrow();
      RtpEndpoint rtp = kurento.getById(child.getId(), RtpEndpoint.class);
      return new Ports(audioPort(rtp.getRemoteSessionDescriptor()), audioPort(rtp.getLocalSessionDescriptor()));
    } finally {
      kurento.destroy();
    }
  }

  private static int audioPort(String sdp) {
    Matcher m = Pattern.compile("^m=audio (\\d+) ", Pattern.MULTILINE).matcher(sdp);
    assertThat(m.find()).as(sdp).isTrue();
    return Integer.parseInt(m.group(1));
  }

  /** A loud 20 ms PCMU frame of the stranger's tone. */
  private static byte[] strangerPacket(long ssrc, int i) {
    short[] tone = Tones.sine(STRANGER_TONE_HZ, 8_000, 160L * i, 160, 20_000);
    return RtpPacket.build(0, 30_000 + i, 4_000_000L + 160L * i, ssrc, Tones.toMulaw(tone));
  }

  /** An RTCP receiver report claiming heavy loss of our stream. */
  private static byte[] receiverReport(long ssrc) {
    byte[] rr = new byte[32];
    rr[0] = (byte) 0x81; // V=2, one report block
    rr[1] = (byte) 201;
    rr[3] = 7; // length in words - 1
    writeInt(rr, 4, ssrc);
    rr[12] = (byte) 0xFF; // fraction lost
    return rr;
  }

  private static void writeInt(byte[] b, int off, long v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }

  private static void send(DatagramSocket socket, InetSocketAddress to, byte[] datagram) {
    try {
      socket.send(new DatagramPacket(datagram, datagram.length, to));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends {@code hexLines} forged to come from {@code srcIp:srcPort} (a raw socket: the test needs CAP_NET_RAW). */
  private static int spoof(String srcIp, int srcPort, InetSocketAddress to, String hexLines) throws Exception {
    Path script;
    try {
      script = Path.of(ForeignRtpIT.class.getResource("/tools/spoof_udp.py").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    List<String> command = new ArrayList<>();
    if (!"root".equals(System.getProperty("user.name"))) {
      // the raw socket needs CAP_NET_RAW; a machine that runs the tests unprivileged installs through sudo too
      command.addAll(List.of("sudo", "-n"));
    }
    command.addAll(List.of("python3", script.toString(), srcIp, Integer.toString(srcPort),
        to.getAddress().getHostAddress(), Integer.toString(to.getPort())));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (var in = p.getOutputStream()) {
      in.write(hexLines.getBytes(StandardCharsets.US_ASCII));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor()).as("spoof_udp.py (a raw socket needs CAP_NET_RAW, e.g. root): " + out).isZero();
    return Integer.parseInt(out);
  }

  private static Map<ForeignPackets.Reason, Long> dropped() {
    String metrics = stack.app.get("/metrics").body();
    Map<ForeignPackets.Reason, Long> counts = new EnumMap<>(ForeignPackets.Reason.class);
    Matcher m = DROPPED.matcher(metrics);
    while (m.find()) {
      for (ForeignPackets.Reason reason : ForeignPackets.Reason.values()) {
        if (reason.tag().equals(m.group(1))) {
          counts.put(reason, (long) Double.parseDouble(m.group(2)));
        }
      }
    }
    assertThat(counts).as("every reason is exported from the start").hasSize(ForeignPackets.Reason.values().length);
    return counts;
  }

  private static long delta(Map<ForeignPackets.Reason, Long> now, Map<ForeignPackets.Reason, Long> before,
      ForeignPackets.Reason reason) {
    return now.get(reason) - before.get(reason);
  }
}
