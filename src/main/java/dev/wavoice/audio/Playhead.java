package dev.wavoice.audio;

/**
 * What a flush cut short: the tag of the audio that was partly played and how many of its frames had
 * gone on the wire (whole 20 ms frames; the last may have been padded).
 */
public record Playhead(String tag, long sentFrames) {

  public long sentMs() {
    return sentFrames * AudioCodec.FRAME_MS;
  }
}
