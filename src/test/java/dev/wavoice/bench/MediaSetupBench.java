package dev.wavoice.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.wavoice.CallId;
import dev.wavoice.audio.AudioCodec;
import dev.wavoice.media.MediaSession;
import dev.wavoice.testkit.kms.KmsDouble;
import dev.wavoice.testkit.kms.RealKms;
import dev.wavoice.testkit.kurento.MediaPlane;
import dev.wavoice.testkit.kurento.RecordingListener;
import dev.wavoice.testkit.kurento.SdpFixtures;
import dev.wavoice.testkit.rtp.RtpPeer;
import java.lang.management.ManagementFactory;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SynchronizedHistogram;

/**
 * Pipeline set-up time: from a WhatsApp offer handed to {@code MediaGateway.answer} to the answer being
 * ready (pipeline built, RTP leg negotiated, every candidate gathered), one call at a time, then the
 * release; with {@code --parallel N}, N calls at once (each batch set up together, then released), as a
 * burst of calls arrives. Runs against the KMS double or the real Kurento 7.3 (its run.sh from
 * {@code -Dwavoice.it.kms-run} or env {@code WAVOICE_KMS_RUN}, started on loopback like in the tests).
 *
 * <pre>
 * mvn -B -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.wavoice.bench.MediaSetupBench \
 *     -Dexec.args="--kms double|real|ws://host:port/kurento [--sessions 200] [--warmup 20] [--offer whatsapp|caller] [--parallel 1]"
 * </pre>
 */
public final class MediaSetupBench {

  private MediaSetupBench() {}

  public static void main(String[] args) throws Exception {
    String target = "double";
    int sessions = 200;
    int warmup = 20;
    String offerName = "whatsapp";
    int parallel = 1;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--kms" -> target = args[++i];
        case "--sessions" -> sessions = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--offer" -> offerName = args[++i];
        case "--parallel" -> parallel = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    String offer = offerName.equals("caller") ? SdpFixtures.callerOffer() : SdpFixtures.whatsappOffer();

    AutoCloseable server = null;
    String url;
    if (target.equals("double")) {
      KmsDouble kms = KmsDouble.start();
      server = kms;
      url = kms.url();
    } else if (target.equals("real")) {
      if (System.getProperty(RealKms.RUN_PROPERTY) == null && System.getenv("WAVOICE_KMS_RUN") != null) {
        System.setProperty(RealKms.RUN_PROPERTY, System.getenv("WAVOICE_KMS_RUN"));
      }
      RealKms kms = RealKms.start();
      server = kms;
      url = kms.url();
    } else {
      url = target;
    }

    Histogram setupUs = new SynchronizedHistogram(60_000_000L, 3); // recorded by the calls' threads
    Histogram releaseUs = new Histogram(60_000_000L, 3);
    Histogram batchUs = new Histogram(600_000_000L, 3);
    try (MediaPlane media = MediaPlane.connected(url); RtpPeer peer = RtpPeer.open();
        ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int done = 0; done < warmup + sessions; done += parallel) {
        boolean measured = done >= warmup;
        int batch = parallel;
        long batchStart = System.nanoTime();
        List<Future<MediaSession>> answers = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
          answers.add(calls.submit(() -> {
            long start = System.nanoTime();
            MediaSession session = media.gateway.answer(new CallId("wacid.BENCH" + UUID.randomUUID()), offer,
                peer.leg(AudioCodec.PCMU), new RecordingListener());
            if (measured) {
              setupUs.recordValue((System.nanoTime() - start) / 1000);
            }
            return session;
          }));
        }
        List<MediaSession> open = new ArrayList<>();
        for (Future<MediaSession> answer : answers) {
          open.add(answer.get());
        }
        if (measured) {
          batchUs.recordValue((System.nanoTime() - batchStart) / 1000);
        }
        for (MediaSession session : open) {
          long start = System.nanoTime();
          session.close();
          if (measured) {
            releaseUs.recordValue((System.nanoTime() - start) / 1000);
          }
        }
      }
    } finally {
      if (server != null) {
        server.close();
      }
    }

    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    System.out.printf("media set-up (offer in -> answer out), %s offer, KMS %s, %d sessions after %d warm-up, %s%n",
        offerName, target, sessions, warmup, parallel == 1 ? "one at a time" : parallel + " at once");
    print("set-up ", setupUs);
    if (parallel > 1) {
      print("batch  ", batchUs);
    }
    print("release", releaseUs);
    System.out.printf("machine: %d cores, %.1f GiB memory, load average %.2f, JDK %s, %s%n", os.getAvailableProcessors(),
        os.getTotalMemorySize() / (1024.0 * 1024 * 1024), os.getSystemLoadAverage(), System.getProperty("java.version"),
        OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE));
    System.exit(0);
  }

  private static void print(String what, Histogram h) {
    System.out.printf("%s ms: p50 %.1f  p90 %.1f  p99 %.1f  max %.1f  mean %.1f%n", what,
        h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(90) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
        h.getMaxValue() / 1000.0, h.getMean() / 1000.0);
  }
}
