package dev.wavoice.audio;

/** Opus mode: 24 kHz PCM → 48 kHz (half-band interpolation) → one Opus packet per 20 ms frame. */
final class OpusOutboundEncoder implements OutboundEncoder {

  private final OpusFrameEncoder encoder;
  private final HalfBandInterpolator interpolator = new HalfBandInterpolator();
  private final short[] pcm24 = new short[AudioFormats.PCM24_FRAME_SAMPLES];
  private final short[] pcm48 = new short[OpusFrameEncoder.FRAME_SAMPLES];

  OpusOutboundEncoder(int bitrateBps, int complexity) {
    this.encoder = new OpusFrameEncoder(bitrateBps, complexity);
  }

  @Override
  public int encode(byte[] frame, int off, byte[] out) {
    Pcm16.toSamples(frame, off, pcm24, 0, pcm24.length);
    interpolator.process(pcm24, 0, pcm24.length, pcm48, 0);
    return encoder.encode(pcm48, 0, out, 0);
  }

  @Override
  public int maxPayloadBytes() {
    return OpusFrameEncoder.MAX_PACKET_BYTES;
  }

  @Override
  public byte[] silencePayload() {
    return encoder.silencePacket();
  }

  @Override
  public void reset() {
    interpolator.reset();
    encoder.reset();
  }
}
