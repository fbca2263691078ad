package dev.wavoice.bench;

import dev.wavoice.testkit.caller.Caller;
import dev.wavoice.testkit.kms.CallerSpeech;
import dev.wavoice.testkit.kurento.SdpFixtures;
import dev.wavoice.testkit.whatsapp.PeerAudio;
import dev.wavoice.testkit.whatsapp.WhatsAppPeers;
import jakarta.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The real WebRTC callers of one step of {@link RealKmsLoadBenchmark}: one GStreamer process per call
 * ({@code gstreamer}), or the WhatsApp peer's {@code multi} mode, every call's peer in one process
 * ({@code peers}), which costs far less than what it measures.
 */
sealed interface RealCallers extends AutoCloseable {

  /**
   * What one caller received and heard over its call; the WhatsApp peers also say when each of their talk turns
   * began and when each sound they heard arrived (the wall clock, ns since the Unix epoch: {@link MouthToEar}).
   */
  record Heard(boolean dtlsConnected, long receivedAudioMs, HeardAudio audio, int lostPackets, long maxGapMs,
      MouthToEar.Caller times) {}

  /** The callers' offers, in call order, each with where its answer goes. */
  List<CallDriver.Offer> offers();

  /** CPU time the callers' processes used so far, together. */
  long cpuNanos();

  /** Waits for every caller to end its call and returns what each heard, in call order. */
  List<Heard> awaitHeard(Duration deadline);

  @Override
  void close();

  /** {@code toneStepHz}: the WhatsApp peers talk each at its own pitch, {@code toneHz + i * toneStepHz}. */
  static RealCallers start(String kind, int count, int callSeconds, Path speech, CallerSpeech pattern, int toneHz, int toneStepHz) {
    return switch (kind) {
      case "gstreamer" -> Processes.start(count, callSeconds, speech);
      case "peers" -> new Peers(WhatsAppPeers.offering(count, callSeconds, toneHz, toneStepHz, pattern.talkMs(), averagePauseMs(pattern)));
      default -> throw new IllegalArgumentException("--callers is gstreamer or peers, got " + kind);
    };
  }

  /** The multi-peer mode pauses one length: the pattern's pauses on average, in whole 20 ms frames. */
  static int averagePauseMs(CallerSpeech pattern) {
    int average = (int) pattern.pausesMs().stream().mapToInt(Integer::intValue).average().orElseThrow();
    return average / 20 * 20;
  }

  /** One GStreamer webrtcbin process per call (full ICE; its offer gets {@code a=ice-lite} to take WhatsApp's shape). */
  record Processes(List<Caller> callers) implements RealCallers {

    static Processes start(int count, int callSeconds, Path speech) {
      List<Caller> callers = new ArrayList<>();
      try {
        for (int i = 0; i < count; i++) {
          callers.add(Caller.offeringRecorded(callSeconds, speech));
        }
      } catch (RuntimeException e) {
        callers.forEach(Caller::close);
        throw e;
      }
      return new Processes(callers);
    }

    @Override
    public List<CallDriver.Offer> offers() {
      List<CallDriver.Offer> offers = new ArrayList<>();
      for (Caller caller : callers) {
        // WhatsApp's offers are ICE-lite: the app answers them by role inversion, as in production
        offers.add(new CallDriver.Offer(SdpFixtures.withIceLite(caller.awaitOffer()), caller::answer));
      }
      return offers;
    }

    @Override
    public long cpuNanos() {
      return callers.stream().mapToLong(Caller::cpuNanos).sum();
    }

    @Override
    public List<Heard> awaitHeard(Duration deadline) {
      List<Heard> heard = new ArrayList<>();
      for (Caller caller : callers) {
        Caller.Report report = caller.awaitReport(deadline);
        heard.add(new Heard(report.dtlsConnected(), report.receivedAudioMs(), HeardAudio.of(caller.heard()), 0, 0,
            new MouthToEar.Caller(List.of(), List.of())));
      }
      return heard;
    }

    @Override
    public void close() {
      callers.forEach(Caller::close);
    }
  }

  /**
   * Every call's WhatsApp peer in one process (ICE-lite, DTLS-SRTP, Opus 111, talk and pause). Its recording
   * is every packet in arrival order, so a packet lost on the way shortens the decoded audio rather than
   * leaving a gap: lost packets and the longest wait between two arrivals are reported beside the dropouts.
   */
  record Peers(WhatsAppPeers peers) implements RealCallers {

    @Override
    public List<CallDriver.Offer> offers() {
      List<CallDriver.Offer> offers = new ArrayList<>();
      for (int i = 0; i < peers.size(); i++) {
        int peer = i;
        offers.add(new CallDriver.Offer(peers.awaitOffer(i), sdp -> peers.answer(peer, sdp)));
      }
      return offers;
    }

    @Override
    public long cpuNanos() {
      return peers.cpuNanos();
    }

    @Override
    public List<Heard> awaitHeard(Duration deadline) {
      Map<Integer, JsonObject> lines = peers.awaitReportLines(deadline);
      List<Heard> heard = new ArrayList<>();
      for (int i = 0; i < peers.size(); i++) {
        JsonObject line = lines.get(i);
        if (line == null) {
          throw new AssertionError("no report of peer " + i + ": " + peers.log());
        }
        int opus = line.getInt("opus_payload_type", 111);
        PeerAudio.Heard audio = PeerAudio.read(peers.heardFile(i), opus);
        heard.add(new Heard(line.getBoolean("dtls_connected", false), line.getJsonNumber("received_audio_ms").longValue(),
            HeardAudio.of(audio.pcm(), PeerAudio.SAMPLE_RATE), audio.lostPackets(), audio.maxGapMs(),
            new MouthToEar.Caller(WhatsAppPeers.talkOnsets(line),
                MouthToEar.heardOnsets(audio.pcm(), PeerAudio.SAMPLE_RATE, audio.packetStarts(), audio.arrivalNanos()))));
      }
      return heard;
    }

    @Override
    public void close() {
      peers.close();
    }
  }
}
