package dev.wavoice.bench;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The audio coders, resamplers and converters of one Kurento pipeline, read from its GStreamer graph
 * ({@code MediaPipeline.getGstreamerDot()}): how many elements of each kind. None of them means Kurento
 * passes the audio through between its endpoints without decoding it.
 */
record PipelineCoders(Map<String, Integer> counts) {

  /**
   * GStreamer names its elements after their factory and a number ({@code opusdec3}); the graph writes the
   * name into a cluster id ({@code cluster_opusdec3_0x55...}) and a label ({@code "GstOpusDec\nopusdec3\n..."}).
   */
  private static final Pattern ELEMENT = Pattern.compile("(opusdec|opusenc|mulawdec|mulawenc|alawdec|alawenc|audioresample|audioconvert)\\d+(?!\\d)");

  static PipelineCoders in(String dot) {
    Map<String, Set<String>> elements = new TreeMap<>();
    Matcher m = ELEMENT.matcher(dot);
    while (m.find()) {
      elements.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group());
    }
    Map<String, Integer> counts = new TreeMap<>();
    elements.forEach((kind, names) -> counts.put(kind, names.size()));
    return new PipelineCoders(counts);
  }

  @Override
  public String toString() {
    if (counts.isEmpty()) {
      return "none";
    }
    StringBuilder out = new StringBuilder();
    counts.forEach((kind, n) -> out.append(out.isEmpty() ? "" : ", ").append(kind).append(" ").append(n));
    return out.toString();
  }
}
