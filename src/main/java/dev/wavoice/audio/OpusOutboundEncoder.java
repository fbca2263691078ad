package dev.wavoice.audio;

/** Opus mode: each 20 ms frame of OpenAI's 24 kHz PCM → one Opus packet (the encoder takes 24 kHz as it is). */
final class OpusOutboundEncoder implements OutboundEncoder {

  private final OpusFrameEncoder encoder;
  private final short[] pcm24 = new short[AudioFormats.PCM24_FRAME_SAMPLES];

  OpusOutboundEncoder(int bitrateBps, int complexity) {
    this.encoder = new OpusFrameEncoder(AudioFormats.PCM24_SAMPLE_RATE, bitrateBps, complexity);
  }

  @Override
  public int encode(byte[] frame, int off, byte[] out) {
    Pcm16.toSamples(frame, off, pcm24, 0, pcm24.length);
    return encoder.encode(pcm24, 0, out, 0);
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
    encoder.reset();
  }
}
