package dev.wavoice.bridge;

import dev.wavoice.audio.RtpRemote;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.audio.AudioCodec;
import dev.wavoice.audio.MuLaw;
import dev.wavoice.audio.OpusFrameDecoder;
import dev.wavoice.audio.OpusFrameEncoder;
import dev.wavoice.audio.RtpLeg;
import dev.wavoice.testkit.Await;
import dev.wavoice.testkit.openai.DoubleSession;
import dev.wavoice.testkit.openai.Turn;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Audio both ways through the real bridge: the caller's RTP into {@code input_audio_buffer.append} at
 * the strict OpenAI double, and the double's audio deltas out as paced RTP, one frame per tick of the
 * hand-driven pacer, contiguous, with no gap and no burst.
 */
class BridgeAudioTest {

  final BridgeHarness h = new BridgeHarness();

  @AfterEach
  void close() {
    h.close();
  }

  static byte[] silence(int bytes) {
    byte[] frame = new byte[bytes];
    Arrays.fill(frame, MuLaw.SILENCE);
    return frame;
  }

  /** The bot audio the double sent, in order. */
  static byte[] deltas(DoubleSession remote) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (JsonObject delta : remote.sent("response.output_audio.delta")) {
      out.writeBytes(Base64.getDecoder().decode(delta.getString("delta")));
    }
    return out.toByteArray();
  }

  @Test
  void theRtpLegIsTheBoundSocketWithItsCodecAndSsrc() {
    RealtimeCallBridge bridge = h.bridge(AudioCodec.PCMU);
    RtpLeg leg = bridge.rtpLeg();
    assertThat(leg.codec()).isEqualTo(AudioCodec.PCMU);
    assertThat(leg.address()).isEqualTo(bridge.audio().localAddress());
    assertThat(leg.address().getPort() % 2).isZero();
    assertThat(leg.ssrc()).isEqualTo(bridge.audio().ssrc());
  }

  @Test
  void callerPcmuFramesReachOpenAiAsExactlyTheseBytesInFortyMsAppendsAndOnlyOnceTheCallIsAccepted() {
    RealtimeCallBridge bridge = h.bridge(AudioCodec.PCMU);
    bridge.prepare().toCompletableFuture().join();
    bridge.connectRtp(RtpRemote.at(h.kurento.rtpTarget()));
    DoubleSession remote = h.openai.awaitSession(0, BridgeHarness.WAIT);

    // before WhatsApp's accept the caller cannot be heard: received, then dropped
    for (int i = 0; i < 5; i++) {
      h.kurento.send(BridgeHarness.leg(bridge), 0, 160, Tones.pattern(160, 100 + i));
    }
    Await.until(BridgeHarness.WAIT, "the audio plane to take the early packets",
        () -> bridge.audio().stats().inbound().packets() == 5);

    bridge.start();
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    for (int i = 0; i < 10; i++) {
      byte[] frame = Tones.pattern(160, i);
      expected.writeBytes(frame);
      h.kurento.send(BridgeHarness.leg(bridge), 0, 160, frame);
    }
    Await.until(BridgeHarness.WAIT, "10 frames at OpenAI", () -> remote.inputAudioBytes() == 1600);
    assertThat(remote.inputAudio()).isEqualTo(expected.toByteArray());
    List<JsonObject> appends = remote.received("input_audio_buffer.append");
    assertThat(appends).hasSize(5).allSatisfy(a -> assertThat(Base64.getDecoder().decode(a.getString("audio"))).hasSize(320));
    assertThat(remote.received("session.update").get(0).getJsonObject("session").getJsonObject("audio")
        .getJsonObject("input").getJsonObject("format").getString("type")).isEqualTo("audio/pcmu");
  }

  @Test
  void callerOpusFramesReachOpenAiAsDecodable24kHzPcmAndTheSessionIsOpenedForPcmWhateverTheConfiguredFormat() {
    RealtimeCallBridge bridge = h.started(AudioCodec.OPUS);
    DoubleSession remote = h.openai.awaitSession(0, BridgeHarness.WAIT);
    JsonObject audio = remote.received("session.update").get(0).getJsonObject("session").getJsonObject("audio");
    assertThat(audio.getJsonObject("input").getJsonObject("format").getString("type")).isEqualTo("audio/pcm");
    assertThat(audio.getJsonObject("input").getJsonObject("format").getInt("rate")).isEqualTo(24_000);
    assertThat(audio.getJsonObject("output").getJsonObject("format").getString("type")).isEqualTo("audio/pcm");

    OpusFrameEncoder encoder = new OpusFrameEncoder(OpusFrameEncoder.SAMPLE_RATE, 32_000, 5);
    byte[] packet = new byte[OpusFrameEncoder.MAX_PACKET_BYTES];
    int frames = 50;
    for (int i = 0; i < frames; i++) {
      short[] pcm = Tones.tone(960, 600, 48_000, 8000, 960 * i);
      int length = encoder.encode(pcm, 0, packet, 0);
      h.kurento.send(BridgeHarness.leg(bridge), 111, 960, Arrays.copyOf(packet, length));
    }
    Await.until(BridgeHarness.WAIT, "one second of 24 kHz PCM at OpenAI", () -> remote.inputAudioBytes() == frames * 960L);
    assertThat(remote.received("input_audio_buffer.append"))
        .allSatisfy(a -> assertThat(Base64.getDecoder().decode(a.getString("audio"))).hasSize(1920));
    short[] samples = Tones.samples(remote.inputAudio());
    assertThat(samples).hasSize(frames * 480);
    // past the codec's start-up: the caller's 600 Hz tone, and hardly anything else
    double tone = Tones.power(samples, 4800, samples.length, 600, 24_000);
    assertThat(tone).isGreaterThan(100 * Tones.power(samples, 4800, samples.length, 1200, 24_000));
    assertThat(tone).isGreaterThan(100 * Tones.power(samples, 4800, samples.length, 300, 24_000));
  }

  @Test
  void botPcmuDeltasGoOutPacedOneFramePerTickContiguousThenSilenceAgain() {
    h.openai.enqueue(Turn.of().audio(1000, 440, "Hello, this is the wavoice agent."));
    RealtimeCallBridge bridge = h.started(AudioCodec.PCMU);
    DoubleSession remote = h.openai.awaitSession(0, BridgeHarness.WAIT);

    KurentoPeer.Packet previous = h.tick();
    assertThat(previous.marker()).isTrue();
    assertThat(previous.payload()).isEqualTo(silence(160)); // the bot is quiet: silence keeps the leg alive
    assertThat(previous.ssrc()).isEqualTo(bridge.rtpLeg().ssrc());

    bridge.session().requestResponse();
    Await.until(BridgeHarness.WAIT, "the whole answer queued",
        () -> !remote.sent("response.done").isEmpty() && bridge.audio().outbound().queuedMs() == 1000);
    byte[] spoken = deltas(remote);
    assertThat(spoken).hasSize(8000);
    assertThat(remote.sent("response.output_audio.delta")).hasSizeGreaterThan(5); // deltas of varying size

    for (int i = 0; i < 50; i++) {
      KurentoPeer.Packet next = h.tick();
      assertThat(next.sequenceNumber()).isEqualTo((previous.sequenceNumber() + 1) & 0xFFFF);
      assertThat(next.timestamp()).isEqualTo((previous.timestamp() + 160) & 0xFFFFFFFFL);
      assertThat(next.marker()).isFalse();
      assertThat(next.payload()).as("frame %d", i).isEqualTo(Arrays.copyOfRange(spoken, 160 * i, 160 * (i + 1)));
      previous = next;
    }
    for (int i = 0; i < 5; i++) {
      KurentoPeer.Packet next = h.tick();
      assertThat(next.sequenceNumber()).isEqualTo((previous.sequenceNumber() + 1) & 0xFFFF);
      assertThat(next.payload()).isEqualTo(silence(160));
      previous = next;
    }
    Await.until(BridgeHarness.WAIT, "the first bot audio reported", () -> h.listener.firstBotAudio.size() == 1);
    Await.until(BridgeHarness.WAIT, "the bot's line, once it had played", () -> h.listener.lines.size() == 1);
    assertThat(h.listener.lines.get(0)).satisfies(line -> {
      assertThat(line.speaker()).isEqualTo(TranscriptLine.BOT);
      assertThat(line.text()).isEqualTo("Hello, this is the wavoice agent.");
      assertThat(line.interrupted()).isFalse();
      assertThat(line.at()).isEqualTo(h.listener.firstBotAudio.get(0));
    });
  }

  @Test
  void botPcmDeltasGoOutAsPacedOpusThatDecodesToTheBotsTone() {
    h.openai.enqueue(Turn.of().audio(600, 440, "Wideband."));
    RealtimeCallBridge bridge = h.started(AudioCodec.OPUS);
    DoubleSession remote = h.openai.awaitSession(0, BridgeHarness.WAIT);
    KurentoPeer.Packet previous = h.tick();
    bridge.session().requestResponse();
    Await.until(BridgeHarness.WAIT, "the whole answer queued",
        () -> !remote.sent("response.done").isEmpty() && bridge.audio().outbound().queuedMs() == 600);

    OpusFrameDecoder decoder = new OpusFrameDecoder();
    short[] decoded = new short[30 * 960];
    for (int i = 0; i < 30; i++) {
      KurentoPeer.Packet next = h.tick();
      assertThat(next.payloadType()).isEqualTo(111);
      assertThat(next.sequenceNumber()).isEqualTo((previous.sequenceNumber() + 1) & 0xFFFF);
      assertThat(next.timestamp()).isEqualTo((previous.timestamp() + 960) & 0xFFFFFFFFL);
      int samples = decoder.decode(next.payload(), 0, next.payload().length);
      assertThat(samples).isEqualTo(960);
      System.arraycopy(decoder.pcm(), 0, decoded, 960 * i, 960);
      previous = next;
    }
    double tone = Tones.power(decoded, 4800, decoded.length, 440, 48_000);
    assertThat(tone).isGreaterThan(100 * Tones.power(decoded, 4800, decoded.length, 880, 48_000));
    assertThat(tone).isGreaterThan(100 * Tones.power(decoded, 4800, decoded.length, 1000, 48_000));
    assertThat(bridge.audio().stats().outbound().audioFramesSent()).isEqualTo(30);
  }
}
