package dev.wavoice.testkit.kms;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusDecoder;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.github.jaredmdobson.concentus.OpusException;
import dev.wavoice.testkit.audio.Tones;

/**
 * What the double's pipeline does to audio between the WebRTC side (48 kHz mono PCM, like Opus from
 * WhatsApp after decoding) and the RTP leg's codec: PCMU (decimate/repeat 48 kHz ⇄ 8 kHz, µ-law) or
 * Opus (concentus). One instance per RtpEndpoint and direction state; not thread-safe.
 */
final class DoubleAudio {

  static final int SAMPLES_48K_PER_FRAME = 960;
  /** concentus's own default. */
  static final int DEFAULT_COMPLEXITY = 9;
  /** For load runs, where the double's CPU competes with the app's on the same cores. */
  static final int CHEAP_COMPLEXITY = 0;

  enum Codec { PCMU, OPUS }

  private final Codec codec;
  private final int complexity;
  private OpusEncoder encoder;
  private OpusDecoder decoder;
  private final short[] decoded = new short[SAMPLES_48K_PER_FRAME * 6];

  DoubleAudio(Codec codec, int complexity) {
    this.codec = codec;
    this.complexity = complexity;
  }

  /** One 20 ms frame of 48 kHz PCM into an RTP payload of the leg's codec. */
  byte[] encode(short[] pcm48k) {
    if (codec == Codec.PCMU) {
      short[] pcm8k = new short[pcm48k.length / 6];
      for (int i = 0; i < pcm8k.length; i++) {
        int sum = 0;
        for (int j = 0; j < 6; j++) {
          sum += pcm48k[i * 6 + j];
        }
        pcm8k[i] = (short) (sum / 6);
      }
      return Tones.toMulaw(pcm8k);
    }
    try {
      if (encoder == null) {
        encoder = new OpusEncoder(48000, 1, OpusApplication.OPUS_APPLICATION_VOIP);
        encoder.setComplexity(complexity);
      }
      byte[] out = new byte[1275];
      int length = encoder.encode(pcm48k, 0, pcm48k.length, out, 0, out.length);
      return java.util.Arrays.copyOf(out, length);
    } catch (OpusException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An RTP payload of the leg's codec into 48 kHz PCM. */
  short[] decode(byte[] payload) {
    if (codec == Codec.PCMU) {
      short[] pcm8k = Tones.fromMulaw(payload, 0, payload.length);
      short[] out = new short[pcm8k.length * 6];
      for (int i = 0; i < out.length; i++) {
        out[i] = pcm8k[i / 6];
      }
      return out;
    }
    try {
      if (decoder == null) {
        decoder = new OpusDecoder(48000, 1);
      }
      int samples = decoder.decode(payload, 0, payload.length, decoded, 0, decoded.length, false);
      return java.util.Arrays.copyOf(decoded, samples);
    } catch (OpusException e) {
      return new short[0];
    }
  }
}
