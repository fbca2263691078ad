package dev.wavoice.testkit.kms;

import java.util.concurrent.CountDownLatch;

/**
 * The KMS double in its own process, for load runs where the real KMS (transcoding on few cores) would
 * be the limit measured instead of wavoice:
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(deps) dev.wavoice.testkit.kms.KmsDoubleMain \
 *     [--port 8888] [--ports 42000-42999] [--auto-connect] [--caller-tone 440]
 * </pre>
 *
 * It prints its URL and runs until stopped (SIGTERM/SIGINT).
 */
public final class KmsDoubleMain {

  private KmsDoubleMain() {}

  public static void main(String[] args) throws InterruptedException {
    KmsDouble.Options options = KmsDouble.Options.defaults();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> options = options.port(Integer.parseInt(args[++i]));
        case "--ports" -> {
          String[] range = args[++i].split("-");
          options = options.ports(Integer.parseInt(range[0]), Integer.parseInt(range[1]));
        }
        case "--auto-connect" -> options = options.autoConnectCallers(true);
        case "--caller-tone" -> options = options.callerToneHz(Double.parseDouble(args[++i]));
        default -> {
          System.err.println("usage: KmsDoubleMain [--port N] [--ports MIN-MAX] [--auto-connect] [--caller-tone HZ]");
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
    stopped.await();
  }
}
