package dev.wavoice.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Opus mode over real loopback UDP: OpenAI's 24 kHz PCM leaves as Opus RTP at 48 kHz, and Kurento's
 * Opus comes out as 24 kHz PCM frames, the tone intact both ways.
 */
class OpusModeTest {

  final AudioHarness harness = new AudioHarness();

  @AfterEach
  void close() {
    harness.close();
  }

  @Test
  void botAudioLeavesAsOpusWithTheToneIntact() {
    CallAudio audio = harness.call(AudioCodec.OPUS);
    short[] tone = Signals.tone(1000, 24_000, 8000, 0, 24_000); // one second at 24 kHz
    byte[] pcm = Signals.toPcm16(tone);
    int at = 0;
    for (int size : new int[] {1, 4799, 10_000, 7, 33_193}) { // odd sizes, even one split sample
      audio.outbound().enqueue("item_A", pcm, at, size);
      at += size;
    }
    assertThat(at).isEqualTo(pcm.length);
    audio.outbound().end("item_A");

    OpusFrameDecoder decoder = new OpusFrameDecoder();
    short[] decoded = new short[50 * 960];
    RtpPacket previous = null;
    for (int i = 0; i < 50; i++) {
      RtpPacket packet = harness.tick();
      assertThat(packet.payloadType()).isEqualTo(111);
      if (previous != null) {
        assertThat(packet.sequenceNumber()).isEqualTo((previous.sequenceNumber() + 1) & 0xFFFF);
        assertThat(packet.timestamp()).isEqualTo((previous.timestamp() + 960) & 0xFFFFFFFFL);
      }
      int samples = decoder.decode(packet.payload(), 0, packet.payload().length);
      assertThat(samples).isEqualTo(960);
      System.arraycopy(decoder.pcm(), 0, decoded, 960 * i, 960);
      previous = packet;
    }
    int from = 5 * 960;
    assertThat(Signals.dominantFrequency(decoded, from, decoded.length - from, 48_000, 100, 7_000)).isCloseTo(1000, offset(10.0));
    assertThat(Signals.db(Signals.amplitudeAt(decoded, from, decoded.length - from, 1000, 48_000) / 8000)).isCloseTo(0, offset(1.5));

    // afterwards: silence packets; after the first (which carries the decaying tail) they decode to silence
    for (int i = 0; i < 4; i++) {
      RtpPacket silence = harness.tick();
      int samples = decoder.decode(silence.payload(), 0, silence.payload().length);
      assertThat(samples).isEqualTo(960);
      if (i > 0) {
        assertThat(Signals.rms(decoder.pcm(), 0, samples)).isLessThan(5);
      }
    }
    assertThat(audio.stats().outbound().silenceFramesSent()).isEqualTo(4);
    assertThat(audio.stats().outbound().audioFramesSent()).isEqualTo(50);
  }

  @Test
  void callerOpusArrivesAs24kHzPcmFramesWithLossConcealed() {
    CallAudio audio = harness.call(AudioCodec.OPUS);
    AudioHarness.CollectingSink sink = new AudioHarness.CollectingSink();
    audio.attach(sink);
    InetSocketAddress us = audio.localAddress();

    OpusFrameEncoder encoder = new OpusFrameEncoder(OpusFrameEncoder.SAMPLE_RATE, 32_000, 5);
    byte[] packet = new byte[OpusFrameEncoder.MAX_PACKET_BYTES];
    int frames = 50;
    for (int f = 0; f < frames; f++) {
      short[] pcm48 = Signals.tone(1000, 48_000, 8000, 960 * f, 960);
      int length = encoder.encode(pcm48, 0, packet, 0);
      if (f == 30) {
        continue; // lost on the way
      }
      harness.kms.sendRtp(us, 111, 2000 + f, 960L * f, java.util.Arrays.copyOf(packet, length));
    }

    short[] received = new short[frames * 480];
    for (int f = 0; f < frames; f++) {
      byte[] frame = sink.next();
      assertThat(frame).hasSize(960); // 20 ms of 16-bit PCM at 24 kHz
      short[] samples = Signals.fromPcm16(frame);
      System.arraycopy(samples, 0, received, 480 * f, 480);
    }
    int from = 5 * 480;
    assertThat(Signals.dominantFrequency(received, from, 25 * 480 - from, 24_000, 100, 7_000)).isCloseTo(1000, offset(10.0));
    assertThat(Signals.db(Signals.amplitudeAt(received, from, 25 * 480 - from, 1000, 24_000) / 8000)).isCloseTo(0, offset(1.5));
    InboundStats stats = audio.stats().inbound();
    assertThat(stats.lostPackets()).isEqualTo(1);
    assertThat(stats.concealedMs()).isEqualTo(20);
    assertThat(stats.framesDelivered()).isEqualTo(50);
  }

  @Test
  void fullbandHybridOpusFromABrowserArrivesToo() throws Exception {
    CallAudio audio = harness.call(AudioCodec.OPUS);
    AudioHarness.CollectingSink sink = new AudioHarness.CollectingSink();
    audio.attach(sink);
    // a browser's encoder: fullband, its default bitrate: SILK and CELT in each packet (hybrid)
    io.github.jaredmdobson.concentus.OpusEncoder browser =
        new io.github.jaredmdobson.concentus.OpusEncoder(48_000, 1, io.github.jaredmdobson.concentus.OpusApplication.OPUS_APPLICATION_VOIP);
    byte[] packet = new byte[1275];
    int frames = 30;
    for (int f = 0; f < frames; f++) {
      short[] pcm48 = Signals.tone(1000, 48_000, 8000, 960 * f, 960);
      int length = browser.encode(pcm48, 0, 960, packet, 0, packet.length);
      harness.kms.sendRtp(audio.localAddress(), 111, 7000 + f, 960L * f, java.util.Arrays.copyOf(packet, length));
    }
    short[] received = new short[frames * 480];
    for (int f = 0; f < frames; f++) {
      System.arraycopy(Signals.fromPcm16(sink.next()), 0, received, 480 * f, 480);
    }
    int from = 5 * 480;
    assertThat(Signals.dominantFrequency(received, from, received.length - from, 24_000, 100, 7_000)).isCloseTo(1000, offset(10.0));
    assertThat(Signals.db(Signals.amplitudeAt(received, from, received.length - from, 1000, 24_000) / 8000)).isCloseTo(0, offset(1.5));
  }
}
