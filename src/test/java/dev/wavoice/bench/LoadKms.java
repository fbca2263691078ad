package dev.wavoice.bench;

import dev.wavoice.audio.PortRange;
import dev.wavoice.testkit.kms.RealKms;
import java.util.Map;

/** The media server of a load run: the KMS double in a child JVM, or the real Kurento Media Server. */
sealed interface LoadKms extends AutoCloseable {

  /** Kurento's JSON-RPC WebSocket URL for the app. */
  String url();

  /** CPU time the media server used so far (user + system, its processes together). */
  long cpuNanos();

  /** Its JVMs by part for flight recordings (none for the real server). */
  Map<String, Long> jvms();

  @Override
  void close();

  /**
   * The KMS double ({@code KmsDoubleMain}): its own callers, and it times wavoice's RTP at arrival; it binds
   * its RTP ports in {@code ports} call by call.
   */
  record Double(ChildJvm jvm, String url, PortRange ports) implements LoadKms {
    @Override
    public long cpuNanos() {
      return jvm.cpuNanos();
    }

    @Override
    public Map<String, Long> jvms() {
      return Map.of("kms-double", jvm.pid());
    }

    @Override
    public void close() {
      jvm.close();
    }
  }

  /** The real Kurento Media Server; callers are real WebRTC peers ({@code Caller} processes). */
  record Real(RealKms kms) implements LoadKms {
    @Override
    public String url() {
      return kms.url();
    }

    @Override
    public long cpuNanos() {
      return kms.cpuNanos();
    }

    @Override
    public Map<String, Long> jvms() {
      return Map.of();
    }

    @Override
    public void close() {
      kms.close();
    }
  }
}
