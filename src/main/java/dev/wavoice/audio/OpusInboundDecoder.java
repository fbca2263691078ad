package dev.wavoice.audio;

/**
 * Opus mode: decodes each packet to 48 kHz, resamples to 24 kHz and writes 16-bit little-endian PCM.
 * Lost time is filled by Opus's packet-loss concealment (which fades to silence), in 20 ms steps.
 *
 * <p>Not decoded straight to 24 kHz, although Opus can: concentus then turns hybrid packets (SILK and
 * CELT, what browsers send at common bitrates) into silence; at 48 kHz every mode decodes.
 */
final class OpusInboundDecoder implements InboundDecoder {

  private static final int CONCEAL_STEP = OpusFrameEncoder.FRAME_SAMPLES;

  private final FrameSplitter frames;
  private final OpusFrameDecoder decoder = new OpusFrameDecoder();
  private final HalfBandDecimator decimator = new HalfBandDecimator();
  private final short[] pcm24 = new short[OpusFrameDecoder.MAX_SAMPLES / 2 + 1];
  private final byte[] bytes = new byte[pcm24.length * Pcm16.BYTES_PER_SAMPLE];
  private final short[] zeros = new short[CONCEAL_STEP];

  OpusInboundDecoder(FrameSplitter frames) {
    this.frames = frames;
  }

  @Override
  public int decode(byte[] payload, int off, int len) {
    int samples = decoder.decode(payload, off, len);
    if (samples <= 0) {
      return -1;
    }
    write48k(decoder.pcm(), samples);
    return samples;
  }

  @Override
  public void conceal(int samples) {
    int left = samples;
    while (left > 0) {
      int step = Math.min(left, CONCEAL_STEP);
      int concealed = decoder.conceal(step);
      if (concealed > 0) {
        write48k(decoder.pcm(), concealed);
      }
      if (concealed < step) {
        write48k(zeros, step - concealed);
      }
      left -= step;
    }
  }

  private void write48k(short[] pcm48, int count) {
    int n = decimator.process(pcm48, 0, count, pcm24, 0);
    Pcm16.toBytes(pcm24, 0, bytes, 0, n);
    frames.write(bytes, 0, n * Pcm16.BYTES_PER_SAMPLE);
  }
}
