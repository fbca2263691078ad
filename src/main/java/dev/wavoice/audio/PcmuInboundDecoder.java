package dev.wavoice.audio;

/** PCMU mode: µ-law payloads pass through unchanged; lost time becomes µ-law silence. */
final class PcmuInboundDecoder implements InboundDecoder {

  private final FrameSplitter frames;

  PcmuInboundDecoder(FrameSplitter frames) {
    this.frames = frames;
  }

  @Override
  public int decode(byte[] payload, int off, int len) {
    frames.write(payload, off, len);
    return len; // one byte per sample at 8 kHz
  }

  @Override
  public void conceal(int samples) {
    frames.fill(MuLaw.SILENCE, samples);
  }
}
