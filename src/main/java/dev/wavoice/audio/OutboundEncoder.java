package dev.wavoice.audio;

/**
 * Turns one 20 ms frame in the format OpenAI sends ({@code audio/pcmu}, or {@code audio/pcm} at 24 kHz)
 * into the RTP payload of the leg's codec. Runs on the producer's thread, never on the pacer.
 */
interface OutboundEncoder {

  /** Encodes the frame at {@code frame[off]} into {@code out}; returns the payload length. */
  int encode(byte[] frame, int off, byte[] out);

  /** The largest payload {@link #encode} can produce. */
  int maxPayloadBytes();

  /** The payload of a 20 ms silence frame, sent by the pacer when the queue is empty. */
  byte[] silencePayload();

  /** Forgets codec state after a flush. */
  void reset();

  static OutboundEncoder forCodec(AudioCodec codec, int opusBitrateBps, int opusComplexity) {
    return switch (codec) {
      case PCMU -> new PcmuOutboundEncoder();
      case OPUS -> new OpusOutboundEncoder(opusBitrateBps, opusComplexity);
    };
  }
}
