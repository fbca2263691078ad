package dev.wavoice.testkit;

import jakarta.json.spi.JsonProvider;

/**
 * The one JSON-P provider of the doubles and fixtures. {@code Json.createObjectBuilder()} and the other
 * {@code Json} statics look the provider up with a {@code ServiceLoader} on every call, which scans the
 * classpath's jars: under load that was a third of the KMS double's CPU and put its latency into the
 * set-up times measured for wavoice.
 */
public final class JsonProviders {

  public static final JsonProvider JSON = JsonProvider.provider();

  private JsonProviders() {}
}
