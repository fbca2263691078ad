package dev.wavoice.realtime;

/**
 * A piece of bot audio, decoded from base64, in the session's output format ({@code audio/pcmu}: 8
 * bytes per ms; {@code audio/pcm} 24 kHz: 48 bytes per ms). Deltas vary in size and arrive faster than
 * real time; the bridge paces them.
 */
public record AudioDelta(String responseId, String itemId, int contentIndex, byte[] audio) {

  @Override
  public String toString() {
    return "AudioDelta[responseId=" + responseId + ", itemId=" + itemId + ", contentIndex=" + contentIndex
        + ", bytes=" + audio.length + "]";
  }
}
