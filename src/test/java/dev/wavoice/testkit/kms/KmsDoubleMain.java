package dev.wavoice.testkit.kms;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The KMS double in its own process, for load runs where the real KMS (transcoding on few cores) would
 * be the limit measured instead of wavoice:
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(deps) dev.wavoice.testkit.kms.KmsDoubleMain \
 *     [--port 8888] [--ports 42000-42999] [--auto-connect] [--caller-tone 440] [--caller-speech 1000/3000,5000]
 *     [--lean] [--control-stdin]
 * </pre>
 *
 * It prints its URL and runs until stopped (SIGTERM/SIGINT). {@code --caller-speech} makes callers talk
 * in turns ({@link CallerSpeech}); {@code --lean} keeps nothing of what callers hear and sends their tone and silence as Opus
 * packets encoded once ({@link LeanCallerAudio}; the double's CPU competes with the app's). With
 * {@code --control-stdin} it also reads commands on its standard input and exits when it closes:
 * {@code STATS} prints {@code STATS pipelines=N key=value...} (the {@link BotAudioArrivals} figures),
 * {@code RESET} clears them, {@code FIRST-AUDIO} prints {@code FIRST-AUDIO callId=nanos...} (each call's
 * first audible frame from wavoice, {@code System.nanoTime()} of this machine), {@code VIOLATIONS} prints
 * {@code VIOLATIONS N} and the N protocol violations seen so far, each after a tab, on one line.
 */
public final class KmsDoubleMain {

  private KmsDoubleMain() {}

  public static void main(String[] args) throws InterruptedException, IOException {
    KmsDouble.Options options = KmsDouble.Options.defaults();
    boolean controlStdin = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> options = options.port(Integer.parseInt(args[++i]));
        case "--ports" -> {
          String[] range = args[++i].split("-");
          options = options.ports(Integer.parseInt(range[0]), Integer.parseInt(range[1]));
        }
        case "--auto-connect" -> options = options.autoConnectCallers(true);
        case "--caller-tone" -> options = options.callerToneHz(Double.parseDouble(args[++i]));
        case "--caller-speech" -> options = options.callerSpeech(CallerSpeech.parse(args[++i]));
        case "--lean" -> options = options.keepHeardAudio(false);
        case "--control-stdin" -> controlStdin = true;
        default -> {
          System.err.println("usage: KmsDoubleMain [--port N] [--ports MIN-MAX] [--auto-connect] [--caller-tone HZ]"
              + " [--caller-speech TALK/PAUSE,...] [--lean] [--control-stdin]");
          System.exit(2);
        }
      }
    }
    KmsDouble kms = KmsDouble.start(options);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      kms.close();
      stopped.countDown();
    }));
    System.out.println("KMS double listening on " + kms.url());
    System.out.flush();
    if (controlStdin) {
      serve(kms);
      System.exit(0);
    }
    stopped.await();
  }

  private static void serve(KmsDouble kms) throws IOException {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      switch (line.strip()) {
        case "STATS" -> System.out.println("STATS pipelines=" + kms.pipelines().size() + join(kms.arrivals().figures()));
        case "RESET" -> {
          kms.arrivals().reset();
          System.out.println("RESET");
        }
        case "FIRST-AUDIO" -> System.out.println("FIRST-AUDIO" + join(kms.arrivals().takeFirstAudio()));
        case "VIOLATIONS" -> {
          List<String> seen = kms.protocolViolations();
          StringBuilder answer = new StringBuilder("VIOLATIONS ").append(seen.size());
          seen.forEach(v -> answer.append('\t').append(v.replaceAll("\\s", " ")));
          System.out.println(answer);
        }
        default -> System.out.println("ERROR unknown command " + line);
      }
      System.out.flush();
    }
  }

  private static String join(Map<String, Long> values) {
    StringBuilder line = new StringBuilder();
    values.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
    return line.toString();
  }
}
