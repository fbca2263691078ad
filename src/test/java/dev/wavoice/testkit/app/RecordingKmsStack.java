package dev.wavoice.testkit.app;

import dev.wavoice.testkit.kms.RealKms;
import java.nio.file.Path;
import java.util.Map;

/**
 * The real-Kurento stack with call recording on (default directory, default disclosure): an app of its
 * own, because recording makes every call start with the disclosure, which the other real-Kurento tests
 * do not expect. Its Kurento instance tag and RTP ports are its own, so the two apps sharing the one
 * Kurento never take each other's pipelines for leaks.
 */
public final class RecordingKmsStack implements AutoCloseable {

  public final RealKmsStack real;

  private RecordingKmsStack(RealKmsStack real) {
    this.real = real;
  }

  static RecordingKmsStack start(RealKms kms) {
    int base = RealKmsStack.rtpPortBase() + 200;
    return new RecordingKmsStack(RealKmsStack.start(kms, "real-kms-recording", Map.of(
        "WAVOICE_RECORDING_ENABLED", "true",
        "WAVOICE_KURENTO_INSTANCE_TAG", "it-real-kms-recording",
        "WAVOICE_MEDIA_RTP_PORT_RANGE", base + "-" + (base + 199))));
  }

  /** Where the app writes recordings: its default, under its data directory. */
  public Path recordings() {
    return real.app.dir().resolve("data").resolve("recordings");
  }

  @Override
  public void close() {
    real.close();
  }
}
