package dev.wavoice;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * The application's data directory, {@code wavoice.data-dir}: the embedded database, the generated admin
 * token and, unless set apart, the recordings live under it. One reader, so a blank value means unset
 * everywhere.
 */
public final class DataDirectory {

  public static final String KEY = "wavoice.data-dir";
  public static final String DEFAULT = "./data";

  private DataDirectory() {}

  /** The configured directory (or the default), absolute and normalised. */
  public static Path of(Function<String, Optional<String>> lookup) {
    return Path.of(ConfigValues.text(lookup, KEY).orElse(DEFAULT)).toAbsolutePath().normalize();
  }
}
