package dev.wavoice.testkit.kms;

import dev.wavoice.testkit.audio.Tones;
import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.github.jaredmdobson.concentus.OpusException;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The callers' audio of a lean double (load runs): one talk turn of the tone and a silent frame, as 20 ms
 * frames of 48 kHz shared by every caller, each with its Opus packet encoded once, when the double starts.
 * Encoding every caller's frames live cost the double as much CPU as the app it measures (it shares the
 * cores): now an Opus RtpEndpoint sends the packet made for the frame, which is a real concentus packet of
 * one continuous encoding of the turn (the silent one from its own encoder), so the app still decodes real
 * Opus, and the tone it hears is the tone. Read-only once built.
 */
final class LeanCallerAudio {

  /** Frames of tone kept when callers talk without pauses: then the turn repeats. */
  static final int CONTINUOUS_TALK_FRAMES = 50;
  private static final int AMPLITUDE = 8000;

  private final short[][] tone;
  private final short[] silence = new short[DoubleAudio.SAMPLES_48K_PER_FRAME];
  private final Map<short[], byte[]> opus = new IdentityHashMap<>();

  LeanCallerAudio(double toneHz, int talkFrames) {
    tone = new short[Math.max(1, talkFrames)][];
    for (int i = 0; i < tone.length; i++) {
      tone[i] = Tones.sine(toneHz, 48_000, (long) i * DoubleAudio.SAMPLES_48K_PER_FRAME, DoubleAudio.SAMPLES_48K_PER_FRAME,
          AMPLITUDE);
    }
    OpusEncoder toneEncoder = encoder();
    for (short[] frame : tone) {
      opus.put(frame, encode(toneEncoder, frame));
    }
    // the packet of steady silence: a few frames in, once the encoder has settled
    OpusEncoder silenceEncoder = encoder();
    byte[] packet = null;
    for (int i = 0; i < 5; i++) {
      packet = encode(silenceEncoder, silence);
    }
    opus.put(silence, packet);
  }

  /** For the double's callers: the talk turn's length from their speech pattern. */
  static LeanCallerAudio forCallers(double toneHz, CallerSpeech speech) {
    return new LeanCallerAudio(toneHz, speech == null ? CONTINUOUS_TALK_FRAMES : speech.talkMs() / CallerSpeech.FRAME_MS);
  }

  /** Frame {@code index} of a talk turn (counted from the turn's start). */
  short[] toneFrame(long index) {
    return tone[(int) Math.floorMod(index, (long) tone.length)];
  }

  short[] silence() {
    return silence;
  }

  /** The Opus packet made for {@code frame} when it is one of these frames (by identity), else null. */
  byte[] opusPacket(short[] frame) {
    return opus.get(frame);
  }

  private static OpusEncoder encoder() {
    try {
      OpusEncoder encoder = new OpusEncoder(48_000, 1, OpusApplication.OPUS_APPLICATION_VOIP);
      encoder.setComplexity(DoubleAudio.DEFAULT_COMPLEXITY); // once per double: the best it makes
      return encoder;
    } catch (OpusException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] encode(OpusEncoder encoder, short[] frame) {
    byte[] out = new byte[1275];
    try {
      int length = encoder.encode(frame, 0, frame.length, out, 0, out.length);
      return Arrays.copyOf(out, length);
    } catch (OpusException e) {
      throw new IllegalStateException(e);
    }
  }
}
