package dev.wavoice.bench;

import dev.wavoice.testkit.kms.CallerSpeech;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * What a real caller heard of the bot, from its recording (16-bit mono WAV): audible 20 ms frames, the
 * bot's turns (audible runs; 200 ms or more of silence ends one) and dropouts — a silent gap of under
 * 200 ms inside a turn, which a listener hears as choppy audio.
 */
record HeardAudio(long audibleMs, int turns, int dropouts, long dropoutMs) {

  static final int FRAME_MS = 20;
  /** A frame is audible above this RMS (of 32768), about −44 dBFS: the bot's tone is far louder, comfort noise far quieter. */
  static final double AUDIBLE_RMS = 200;
  /** Silence this long (frames) ends a turn; shorter silence inside a turn is a dropout. */
  static final int TURN_GAP_FRAMES = 10;

  static HeardAudio of(Path wav) {
    try (AudioInputStream in = AudioSystem.getAudioInputStream(wav.toFile())) {
      AudioFormat format = in.getFormat();
      if (format.getSampleSizeInBits() != 16 || format.getChannels() != 1 || format.isBigEndian()) {
        throw new IllegalArgumentException(wav + ": expected 16-bit little-endian mono, got " + format);
      }
      byte[] bytes = in.readAllBytes();
      short[] pcm = new short[bytes.length / 2];
      for (int i = 0; i < pcm.length; i++) {
        pcm[i] = (short) ((bytes[2 * i] & 0xff) | (bytes[2 * i + 1] << 8));
      }
      return of(pcm, (int) format.getSampleRate());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (UnsupportedAudioFileException e) {
      throw new IllegalArgumentException(wav + ": not a WAV file", e);
    }
  }

  /** As {@link #of(Path)}, for decoded mono samples at {@code sampleRate}. */
  static HeardAudio of(short[] pcm, int sampleRate) {
    int frameSamples = sampleRate * FRAME_MS / 1000;
    int frames = pcm.length / frameSamples;
    long audible = 0;
    int turns = 0;
    int dropouts = 0;
    long dropoutFrames = 0;
    int silentRun = -1; // silent frames since the last audible one; -1 before the first turn
    for (int f = 0; f < frames; f++) {
      double sum = 0;
      for (int i = 0; i < frameSamples; i++) {
        double sample = pcm[f * frameSamples + i];
        sum += sample * sample;
      }
      if (Math.sqrt(sum / frameSamples) > AUDIBLE_RMS) {
        audible++;
        if (silentRun < 0 || silentRun >= TURN_GAP_FRAMES) {
          turns++;
        } else if (silentRun > 0) {
          dropouts++;
          dropoutFrames += silentRun;
        }
        silentRun = 0;
      } else if (silentRun >= 0) {
        silentRun++;
      }
    }
    return new HeardAudio(audible * FRAME_MS, turns, dropouts, dropoutFrames * FRAME_MS);
  }

  /**
   * Writes one cycle of {@code speech} as a WAV (48 kHz mono 16-bit): a tone of {@code hz} while talking,
   * silence in the pauses; it begins {@code startFrame} frames into the cycle.
   */
  static void writeSpeech(Path wav, CallerSpeech speech, double hz, int startFrame) {
    int rate = 48_000;
    int frameSamples = rate * FRAME_MS / 1000;
    int frames = speech.cycleFrames();
    byte[] pcm = new byte[2 * frames * frameSamples];
    double amplitude = 0.3 * Short.MAX_VALUE; // about −13.5 dBFS RMS, as the caller's own tone
    for (int f = 0; f < frames; f++) {
      if (!speech.talking(f + startFrame)) {
        continue;
      }
      for (int i = 0; i < frameSamples; i++) {
        int n = f * frameSamples + i;
        short sample = (short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * n / rate));
        pcm[2 * n] = (byte) sample;
        pcm[2 * n + 1] = (byte) (sample >> 8);
      }
    }
    AudioFormat format = new AudioFormat(rate, 16, 1, true, false);
    try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(pcm), format, (long) frames * frameSamples)) {
      AudioSystem.write(in, AudioFileFormat.Type.WAVE, wav.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
