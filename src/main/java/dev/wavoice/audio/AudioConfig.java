package dev.wavoice.audio;

import dev.wavoice.ConfigValues;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;

/** The audio settings from MicroProfile Config ({@code wavoice.media.rtp-*}, {@code wavoice.audio.*}). */
@ApplicationScoped
public class AudioConfig {

  private Config config;
  private volatile AudioSettings settings;

  protected AudioConfig() {}

  @Inject
  public AudioConfig(Config config) {
    this.config = config;
  }

  /** Reads and checks the settings at deploy: a bad value fails the deploy naming its key. */
  void checkAtDeploy(@Observes @Initialized(ApplicationScoped.class) Object started) {
    settings();
  }

  /** The settings, read and checked once (configuration is immutable while the app runs). */
  public AudioSettings settings() {
    AudioSettings current = settings;
    if (current == null) {
      current = AudioSettings.from(ConfigValues.lookup(config));
      settings = current;
    }
    return current;
  }
}
