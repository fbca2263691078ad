package dev.wavoice.testkit;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigValue;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.eclipse.microprofile.config.spi.Converter;

/** MicroProfile Config from a map, for unit tests of the classes that read settings. */
public final class MapConfig implements Config {

  private final Map<String, String> values;

  public MapConfig(Map<String, String> values) {
    this.values = new HashMap<>(values);
  }

  public static MapConfig of(String... keysAndValues) {
    Map<String, String> map = new HashMap<>();
    for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return new MapConfig(map);
  }

  @Override
  public <T> T getValue(String name, Class<T> type) {
    return getOptionalValue(name, type).orElseThrow(() -> new NoSuchElementException(name));
  }

  @Override
  public ConfigValue getConfigValue(String name) {
    throw new UnsupportedOperationException();
  }

  @Override
  public <T> Optional<T> getOptionalValue(String name, Class<T> type) {
    String raw = values.get(name);
    if (raw == null) {
      return Optional.empty();
    }
    Object value;
    if (type == String.class) {
      value = raw;
    } else if (type == Long.class) {
      value = Long.valueOf(raw.strip());
    } else if (type == Integer.class) {
      value = Integer.valueOf(raw.strip());
    } else if (type == Double.class) {
      value = Double.valueOf(raw.strip());
    } else if (type == Boolean.class) {
      value = Boolean.valueOf(raw.strip());
    } else {
      throw new IllegalArgumentException("no converter for " + type);
    }
    return Optional.of(type.cast(value));
  }

  @Override
  public Iterable<String> getPropertyNames() {
    return List.copyOf(values.keySet());
  }

  @Override
  public Iterable<ConfigSource> getConfigSources() {
    return List.of();
  }

  @Override
  public <T> Optional<Converter<T>> getConverter(Class<T> forType) {
    return Optional.empty();
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    throw new IllegalArgumentException();
  }
}
