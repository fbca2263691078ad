package dev.wavoice.realtime;

import dev.wavoice.WireJson;
import dev.wavoice.testkit.openai.Audio;
import jakarta.json.bind.Jsonb;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.HdrHistogram.Histogram;

/**
 * What the Realtime client costs per event on the audio path, without a network: building an
 * {@code input_audio_buffer.append} from a 20 ms frame (base64 + JSON-B) and turning a
 * {@code response.output_audio.delta} back into bytes (type scan + JSON-B + base64). Prints p50/p99
 * latency and bytes allocated per event, for PCMU and 24 kHz PCM.
 *
 * <pre>
 * mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) dev.wavoice.realtime.RealtimeCodecBenchmark
 * </pre>
 */
public final class RealtimeCodecBenchmark {

  private static final int WARMUP = 200_000;
  private static final int MEASURED = 500_000;

  private RealtimeCodecBenchmark() {}

  public static void main(String[] args) {
    Jsonb jsonb = WireJson.create();
    ServerEventParser parser = new ServerEventParser(jsonb);
    System.out.printf("%-38s %9s %9s %9s %12s%n", "operation", "p50 µs", "p99 µs", "mean µs", "bytes/event");
    for (String format : new String[] {Audio.PCMU, Audio.PCM}) {
      byte[] frame = Audio.tone(format, 20, 440, 0.3);
      run("append 20 ms " + format, () -> {
        ByteBuffer b64 = Base64.getEncoder().encode(ByteBuffer.wrap(frame, 0, frame.length));
        String text = StandardCharsets.ISO_8859_1.decode(b64).toString();
        return jsonb.toJson(new ClientEvent.InputAudioBufferAppend("wv_123", text)).length();
      });
      byte[] delta = Audio.tone(format, 100, 440, 0.3);
      String event = "{\"type\":\"response.output_audio.delta\",\"event_id\":\"event_9Xf3\",\"response_id\":\"resp_abc\","
          + "\"item_id\":\"item_def\",\"output_index\":0,\"content_index\":0,\"delta\":\""
          + Base64.getEncoder().encodeToString(delta) + "\"}";
      run("delta 100 ms " + format, () -> {
        var known = (ServerEventParser.Known) parser.parse(event);
        var audio = (ServerEvent.OutputAudioDelta) known.event();
        return Base64.getDecoder().decode(audio.delta()).length;
      });
    }
  }

  interface Op {
    int run();
  }

  private static void run(String name, Op op) {
    long sink = 0;
    for (int i = 0; i < WARMUP; i++) {
      sink += op.run();
    }
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().threadId();
    Histogram histogram = new Histogram(3_600_000_000L, 3);
    long allocatedBefore = threads.getThreadAllocatedBytes(thread);
    for (int i = 0; i < MEASURED; i++) {
      long start = System.nanoTime();
      sink += op.run();
      histogram.recordValue(System.nanoTime() - start);
    }
    long allocated = threads.getThreadAllocatedBytes(thread) - allocatedBefore;
    System.out.printf("%-38s %9.2f %9.2f %9.2f %12d%n", name, histogram.getValueAtPercentile(50) / 1000.0,
        histogram.getValueAtPercentile(99) / 1000.0, histogram.getMean() / 1000.0, allocated / MEASURED);
    if (sink == 42) {
      System.out.println();
    }
  }
}
