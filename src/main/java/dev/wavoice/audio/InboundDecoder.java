package dev.wavoice.audio;

/**
 * Turns the payloads of in-order RTP packets into the bytes the bridge forwards, writing them into a
 * {@link FrameSplitter} that cuts 20 ms frames. Runs on the call's receive thread.
 */
interface InboundDecoder {

  /** Decodes one payload; returns how many samples (at the RTP clock rate) it covered, or -1 if corrupt. */
  int decode(byte[] payload, int off, int len);

  /** Fills {@code samples} (at the RTP clock rate) of lost time. */
  void conceal(int samples);

  /** For each codec mode, the decoder that writes into {@code frames}. */
  static InboundDecoder forCodec(AudioCodec codec, FrameSplitter frames) {
    return switch (codec) {
      case PCMU -> new PcmuInboundDecoder(frames);
      case OPUS -> new OpusInboundDecoder(frames);
    };
  }
}
