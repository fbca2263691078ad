package dev.wavoice.testkit.app;

import java.util.Map;

/** The app on Payara Micro started with no configuration at all, as a newcomer would first run it. */
public final class UnconfiguredStack implements AutoCloseable {

  public final PayaraApp app;

  private UnconfiguredStack(PayaraApp app) {
    this.app = app;
  }

  static UnconfiguredStack start() {
    return new UnconfiguredStack(PayaraApp.start("unconfigured", Map.of()));
  }

  @Override
  public void close() {
    app.close();
  }
}
