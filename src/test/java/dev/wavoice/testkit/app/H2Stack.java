package dev.wavoice.testkit.app;

import dev.wavoice.testkit.db.SmallDisk;
import dev.wavoice.testkit.kms.KmsDouble;
import java.nio.file.Path;
import java.util.Map;

/**
 * The {@link DoublesStack} configuration with the default call record database, the embedded H2 file in
 * {@code wavoice.data-dir} (not the mixed mode the other stacks use), so a test can take the file from the
 * app as another process would; the data directory is a small disk of its own ({@link SmallDisk}, 16 MB)
 * that a test can fill. Its own doubles and app (its KMS double on its own port range).
 */
public final class H2Stack implements AutoCloseable {

  public final DoublesStack doubles;
  /** The app's data directory: the H2 file is {@code wavoice.mv.db} in it. */
  public final Path dataDir;
  /** The file system of {@link #dataDir}. */
  public final SmallDisk disk;

  private H2Stack(DoublesStack doubles, Path dataDir, SmallDisk disk) {
    this.doubles = doubles;
    this.dataDir = dataDir;
    this.disk = disk;
  }

  static H2Stack start() {
    Path dataDir = PayaraApp.workDir("h2-faults").resolve("data").toAbsolutePath();
    SmallDisk disk = SmallDisk.mount(dataDir, 16);
    try {
      return new H2Stack(DoublesStack.start("h2-faults", KmsDouble.Options.defaults().ports(45000, 45499),
          Map.of("WAVOICE_DB_URL", "", "WAVOICE_DATA_DIR", dataDir.toString(),
              "WAVOICE_KURENTO_INSTANCE_TAG", "it-h2-stack")), dataDir, disk);
    } catch (RuntimeException e) {
      disk.close();
      throw e;
    }
  }

  /** The JDBC URL of the app's default database, as wavoice builds it from its data directory. */
  public String jdbcUrl() {
    return "jdbc:h2:file:" + dataDir.resolve("wavoice") + ";DB_CLOSE_ON_EXIT=FALSE";
  }

  @Override
  public void close() {
    try {
      doubles.close();
    } finally {
      disk.close();
    }
  }
}
