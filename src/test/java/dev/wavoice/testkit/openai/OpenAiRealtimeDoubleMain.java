package dev.wavoice.testkit.openai;

import java.util.concurrent.CountDownLatch;

/**
 * The OpenAI Realtime double in its own process, for load runs that must not count its CPU as
 * wavoice's. Prints one line, {@code openai-double ws=<url> control=<url> api=<url>}, once it listens, then runs
 * until its standard input closes or it is stopped.
 *
 * <pre>
 * java -cp target/test-classes:target/classes:&lt;test classpath&gt; dev.wavoice.testkit.openai.OpenAiRealtimeDoubleMain \
 *   --port 0 --control-port 0 --api-key test-openai-key-test [--lean]
 * </pre>
 *
 * {@code --port}/{@code --control-port} 0 pick free ports; {@code --lean} keeps appended audio only
 * as length and CRC-32 (neither the base64 text of each event nor the bytes). The control interface is
 * {@link DoubleControl}.
 */
public final class OpenAiRealtimeDoubleMain {

  private OpenAiRealtimeDoubleMain() {}

  public static void main(String[] args) throws Exception {
    int port = 0;
    int controlPort = 0;
    String apiKey = System.getenv("OPENAI_DOUBLE_API_KEY");
    boolean lean = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[++i]);
        case "--control-port" -> controlPort = Integer.parseInt(args[++i]);
        case "--api-key" -> apiKey = args[++i];
        case "--lean" -> lean = true;
        default -> {
          System.err.println("unknown argument " + args[i]
              + "; usage: --port N --control-port M --api-key KEY [--lean]");
          System.exit(2);
        }
      }
    }
    if (apiKey == null || apiKey.isBlank()) {
      System.err.println("--api-key (or env OPENAI_DOUBLE_API_KEY) is required");
      System.exit(2);
    }
    OpenAiRealtimeDouble openai = OpenAiRealtimeDouble.start(apiKey, port);
    if (lean) {
      openai.configureEverySession(s -> s.recordAudioText(false).recordInputAudio(false));
    }
    DoubleControl control = new DoubleControl(openai, controlPort);
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      control.close();
      openai.close();
      stop.countDown();
    }));
    System.out.println("openai-double ws=" + openai.url() + " control=" + control.url() + " api=" + openai.apiUrl());
    System.out.flush();
    Thread stdin = new Thread(() -> {
      try {
        while (System.in.read() >= 0) {
          // wait for the parent to close our input
        }
      } catch (java.io.IOException ignored) {
        // parent gone
      }
      System.exit(0);
    }, "stdin-watch");
    stdin.setDaemon(true);
    stdin.start();
    stop.await();
  }
}
