package dev.wavoice.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

/** Opus through concentus: what we encode decodes to the same tone, and the silence frame is silent. */
class OpusCodecTest {

  static final int FRAMES = 50; // one second

  @Test
  void aOneKilohertzToneSurvivesEncodeAndDecode() {
    OpusFrameEncoder encoder = new OpusFrameEncoder(OpusFrameEncoder.SAMPLE_RATE, 20_000, 5);
    OpusFrameDecoder decoder = new OpusFrameDecoder();
    short[] decoded = new short[FRAMES * OpusFrameEncoder.FRAME_SAMPLES];
    byte[] packet = new byte[OpusFrameEncoder.MAX_PACKET_BYTES];
    int at = 0;
    int totalBytes = 0;
    for (int f = 0; f < FRAMES; f++) {
      short[] frame = Signals.tone(1000, 48_000, 8000, f * 960, 960);
      int length = encoder.encode(frame, 0, packet, 0);
      assertThat(length).isBetween(1, OpusFrameEncoder.MAX_PACKET_BYTES);
      totalBytes += length;
      int samples = decoder.decode(packet, 0, length);
      assertThat(samples).isEqualTo(960);
      System.arraycopy(decoder.pcm(), 0, decoded, at, samples);
      at += samples;
    }
    // skip the codec's start-up (lookahead and first frames), measure the rest
    int from = 10 * 960;
    int count = at - from;
    assertThat(Signals.dominantFrequency(decoded, from, count, 48_000, 100, 7_000)).isCloseTo(1000, offset(10.0));
    double level = Signals.amplitudeAt(decoded, from, count, 1000, 48_000);
    assertThat(Signals.db(level / 8000)).isCloseTo(0, offset(1.5));
    // bitrate near the configured 20 kbit/s (VBR): 50 frames ≈ 2500 bytes
    assertThat(totalBytes * 8).isBetween(10_000, 40_000);
  }

  @Test
  void theSilencePacketDecodesToSilence() {
    OpusFrameEncoder encoder = new OpusFrameEncoder(OpusFrameEncoder.SAMPLE_RATE, 20_000, 5);
    OpusFrameDecoder decoder = new OpusFrameDecoder();
    byte[] silence = encoder.silencePacket();
    assertThat(silence.length).isBetween(1, 20);
    for (int i = 0; i < 5; i++) {
      int samples = decoder.decode(silence, 0, silence.length);
      assertThat(samples).isEqualTo(960);
      assertThat(Signals.rms(decoder.pcm(), 0, samples)).isLessThan(1.0);
    }
  }

  @Test
  void concealmentProducesTheAskedDurationAndCorruptPacketsAreRefused() {
    OpusFrameDecoder decoder = new OpusFrameDecoder();
    assertThat(decoder.conceal(960)).isEqualTo(960);
    assertThat(decoder.conceal(1000)).isEqualTo(960); // rounded down to 2.5 ms
    assertThat(decoder.decode(new byte[0], 0, 0)).isEqualTo(-1);
    // TOC code 3 with a frame count of 0 is invalid Opus
    assertThat(decoder.decode(new byte[] {(byte) 0x03, 0x00}, 0, 2)).isEqualTo(-1);
  }
}
