package dev.wavoice.testkit.app;

import dev.wavoice.testkit.kms.KmsDouble;
import java.util.Map;

/**
 * The {@link DoublesStack} configuration with OpenAI sessions rolled over after
 * {@link #ROLLOVER_AFTER_SECONDS} instead of 55 minutes, as its own app: calls here move to a fresh
 * OpenAI session every few seconds. Its KMS double uses its own port range.
 */
public final class ShortSessionsStack implements AutoCloseable {

  public static final int ROLLOVER_AFTER_SECONDS = 5;

  public final DoublesStack doubles;

  private ShortSessionsStack(DoublesStack doubles) {
    this.doubles = doubles;
  }

  static ShortSessionsStack start() {
    return new ShortSessionsStack(DoublesStack.start("short-sessions", KmsDouble.Options.defaults().ports(44000, 44499),
        Map.of("WAVOICE_OPENAI_ROLLOVER_AFTER_SECONDS", Integer.toString(ROLLOVER_AFTER_SECONDS))));
  }

  @Override
  public void close() {
    doubles.close();
  }
}
