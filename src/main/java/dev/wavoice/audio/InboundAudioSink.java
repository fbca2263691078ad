package dev.wavoice.audio;

/**
 * Where a call's received audio goes (the bridge, which batches it into
 * {@code input_audio_buffer.append}): exactly one 20 ms frame per call, in order, on the call's
 * receive thread, with lost time already filled so the frames form a continuous timeline.
 *
 * <ul>
 *   <li>PCMU mode: 160 bytes of G.711 µ-law at 8 kHz, as received (OpenAI {@code audio/pcmu}).
 *   <li>Opus mode: 960 bytes of 16-bit little-endian mono PCM at 24 kHz (OpenAI {@code audio/pcm}).
 * </ul>
 *
 * The buffer is reused after the call returns: copy or encode it before returning, and do not block.
 */
@FunctionalInterface
public interface InboundAudioSink {

  void onFrame(byte[] frame, int off, int len);

  /** Drops the audio (before the bridge attaches). */
  InboundAudioSink DISCARD = (frame, off, len) -> { };
}
