package dev.wavoice.bridge;

import dev.wavoice.ConfigValues;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;

/** The bridge settings from MicroProfile Config ({@code wavoice.bridge.*}, {@code wavoice.recording.*}). */
@ApplicationScoped
public class BridgeConfig {

  private Config config;
  private volatile BridgeSettings settings;
  private volatile RecordingSettings recording;

  protected BridgeConfig() {}

  @Inject
  public BridgeConfig(Config config) {
    this.config = config;
  }

  /** Reads and checks the settings at deploy: a bad value fails the deploy naming its key. */
  void checkAtDeploy(@Observes @Initialized(ApplicationScoped.class) Object started) {
    settings();
    recording();
  }

  /** The settings, read and checked once (configuration is immutable while the app runs). */
  public BridgeSettings settings() {
    BridgeSettings current = settings;
    if (current == null) {
      current = BridgeSettings.from(ConfigValues.lookup(config));
      settings = current;
    }
    return current;
  }

  /** Call recording ({@code wavoice.recording.*}), read and checked once. */
  public RecordingSettings recording() {
    RecordingSettings current = recording;
    if (current == null) {
      current = RecordingSettings.from(ConfigValues.lookup(config));
      recording = current;
    }
    return current;
  }
}
