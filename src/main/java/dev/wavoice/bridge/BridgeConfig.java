package dev.wavoice.bridge;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;

/** The bridge settings from MicroProfile Config ({@code wavoice.bridge.*}, {@code wavoice.recording.*}). */
@ApplicationScoped
public class BridgeConfig {

  private Config config;

  protected BridgeConfig() {}

  @Inject
  public BridgeConfig(Config config) {
    this.config = config;
  }

  public BridgeSettings settings() {
    return BridgeSettings.from(key -> config.getOptionalValue(key, String.class));
  }

  /** Call recording ({@code wavoice.recording.*}). */
  public RecordingSettings recording() {
    return RecordingSettings.from(key -> config.getOptionalValue(key, String.class));
  }
}
