package dev.wavoice.testkit.app;

import dev.wavoice.testkit.db.RealPostgres;
import dev.wavoice.testkit.kms.KmsDouble;
import java.util.Map;

/**
 * The {@link DoublesStack} configuration with its call records in a real PostgreSQL server that the tests
 * stop, start and lock: its own PostgreSQL, doubles and app (its KMS double on its own port range).
 */
public final class PostgresStack implements AutoCloseable {

  public final RealPostgres postgres;
  public final DoublesStack doubles;

  private PostgresStack(RealPostgres postgres, DoublesStack doubles) {
    this.postgres = postgres;
    this.doubles = doubles;
  }

  static PostgresStack start() {
    RealPostgres postgres = RealPostgres.start();
    try {
      return new PostgresStack(postgres, DoublesStack.start("postgres-faults", KmsDouble.Options.defaults().ports(44500, 44999),
          Map.of("WAVOICE_DB_URL", postgres.jdbcUrl(), "WAVOICE_DB_USER", postgres.user(),
              "WAVOICE_KURENTO_INSTANCE_TAG", "it-postgres-stack")));
    } catch (RuntimeException e) {
      postgres.close();
      throw e;
    }
  }

  @Override
  public void close() {
    try {
      doubles.close();
    } finally {
      postgres.close();
    }
  }
}
