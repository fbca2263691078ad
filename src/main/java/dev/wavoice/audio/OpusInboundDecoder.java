package dev.wavoice.audio;

/**
 * Opus mode: decodes each packet straight to 24 kHz (OpenAI's rate) and writes 16-bit little-endian
 * PCM. Lost time is filled by Opus's packet-loss concealment (which fades to silence), in 20 ms steps.
 * Sample counts in and out of this class are on the RTP clock (48 kHz), twice the decoded ones.
 */
final class OpusInboundDecoder implements InboundDecoder {

  private static final int RTP_SAMPLES_PER_SAMPLE = OpusFrameDecoder.SAMPLE_RATE / AudioFormats.PCM24_SAMPLE_RATE;
  private static final int CONCEAL_STEP = AudioFormats.PCM24_FRAME_SAMPLES;

  private final FrameSplitter frames;
  private final OpusFrameDecoder decoder = new OpusFrameDecoder(AudioFormats.PCM24_SAMPLE_RATE);
  private final byte[] bytes = new byte[OpusFrameDecoder.MAX_SAMPLES / RTP_SAMPLES_PER_SAMPLE * Pcm16.BYTES_PER_SAMPLE];
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
    write(decoder.pcm(), samples);
    return samples * RTP_SAMPLES_PER_SAMPLE;
  }

  @Override
  public void conceal(int rtpSamples) {
    int left = rtpSamples / RTP_SAMPLES_PER_SAMPLE;
    while (left > 0) {
      int step = Math.min(left, CONCEAL_STEP);
      int concealed = decoder.conceal(step);
      if (concealed > 0) {
        write(decoder.pcm(), concealed);
      }
      if (concealed < step) {
        write(zeros, step - concealed);
      }
      left -= step;
    }
  }

  private void write(short[] pcm24, int count) {
    Pcm16.toBytes(pcm24, 0, bytes, 0, count);
    frames.write(bytes, 0, count * Pcm16.BYTES_PER_SAMPLE);
  }
}
