package dev.wavoice.bridge;

import static dev.wavoice.ConfigValues.text;

import dev.wavoice.CallId;
import dev.wavoice.DataDirectory;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Call recording, opt-in. See {@code docs/operations.md#recording} and {@code docs/configuration.md}.
 *
 * @param enabled record every call (both sides, one Ogg/Opus file per call)
 * @param dir where the files go: {@code <call id>.ogg}
 * @param disclosure what the agent says first when calls are recorded (before the greeting)
 */
public record RecordingSettings(boolean enabled, Path dir, String disclosure) {

  public static final String ENABLED = "wavoice.recording.enabled";
  public static final String DIR = "wavoice.recording.dir";
  public static final String DISCLOSURE = "wavoice.recording.disclosure";
  static final String DEFAULT_DISCLOSURE = "This call is recorded.";
  /** The content type of a recording file. */
  public static final String CONTENT_TYPE = "audio/ogg; codecs=opus";

  public RecordingSettings {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(disclosure, "disclosure");
    dir = dir.toAbsolutePath().normalize();
  }

  public static RecordingSettings from(Function<String, Optional<String>> lookup) {
    String enabled = text(lookup, ENABLED).orElse("false").toLowerCase(Locale.ROOT);
    if (!enabled.equals("true") && !enabled.equals("false")) {
      throw new IllegalArgumentException(ENABLED + " must be true or false, was '" + enabled + "'");
    }
    Path dir = text(lookup, DIR).map(Path::of)
        .orElseGet(() -> DataDirectory.of(lookup).resolve("recordings"));
    return new RecordingSettings(enabled.equals("true"), dir, text(lookup, DISCLOSURE).orElse(DEFAULT_DISCLOSURE));
  }

  public static RecordingSettings disabled() {
    return from(key -> Optional.empty());
  }

  /** The file of a call's recording (it exists only if the call was recorded). */
  public Path file(CallId callId) {
    // call ids are Meta's or ours; anything outside a safe file-name alphabet is replaced, and then the
    // id's hash keeps two ids that differ only there apart
    String id = callId.value();
    String safe = id.replaceAll("[^A-Za-z0-9._=-]", "_");
    if (!safe.equals(id)) {
      safe = safe + "-" + Integer.toHexString(id.hashCode());
    }
    return dir.resolve(safe + ".ogg");
  }
}
