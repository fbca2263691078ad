package dev.wavoice.audio;

import java.util.Arrays;

/** PCMU mode: OpenAI's µ-law frames are the RTP payload as they are. */
final class PcmuOutboundEncoder implements OutboundEncoder {

  @Override
  public int encode(byte[] frame, int off, byte[] out) {
    System.arraycopy(frame, off, out, 0, AudioFormats.PCMU_FRAME_BYTES);
    return AudioFormats.PCMU_FRAME_BYTES;
  }

  @Override
  public int maxPayloadBytes() {
    return AudioFormats.PCMU_FRAME_BYTES;
  }

  @Override
  public byte[] silencePayload() {
    byte[] silence = new byte[AudioFormats.PCMU_FRAME_BYTES];
    Arrays.fill(silence, MuLaw.SILENCE);
    return silence;
  }

  @Override
  public void reset() {
    // stateless
  }
}
