package dev.wavoice.audio;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;

/** The audio settings from MicroProfile Config ({@code wavoice.media.rtp-*}, {@code wavoice.audio.*}). */
@ApplicationScoped
public class AudioConfig {

  private Config config;

  protected AudioConfig() {}

  @Inject
  public AudioConfig(Config config) {
    this.config = config;
  }

  public AudioSettings settings() {
    return AudioSettings.from(key -> config.getOptionalValue(key, String.class));
  }
}
