package dev.wavoice.ops;

import dev.wavoice.ConfigValues;
import dev.wavoice.DataDirectory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/**
 * The operator's token, checked in constant time by the admin API's filter (bearer header) and by the
 * softphone's signalling (first message: browsers cannot set headers on a WebSocket).
 *
 * <p>A configured {@code wavoice.admin.token} always wins. Without one, a token is generated at the
 * first start and kept in {@code <wavoice.data-dir>/admin-token} (readable by the owner only), and the
 * same file is read at every later start: a first run has a working console without any setting. The
 * log says where the file is, never what is in it.
 */
@ApplicationScoped
public class AdminToken {

  public static final String KEY = "wavoice.admin.token";
  /** The file, under {@code wavoice.data-dir}, that holds a generated token. */
  public static final String FILE = "admin-token";

  private static final Logger LOG = Logger.getLogger(AdminToken.class.getName());

  /** The outcome of a check. */
  public enum Check {
    OK,
    /** No token is configured and none could be generated: admin functions are off. */
    DISABLED,
    /** Missing or not the token. */
    WRONG
  }

  /** Where the token comes from, for the start-up summary. */
  public record Source(boolean configured, Optional<Path> file, boolean generatedNow, Optional<String> problem) {}

  private byte[] token;
  private Source source;

  protected AdminToken() {}

  @Inject
  public AdminToken(Config config) {
    Optional<String> configured = ConfigValues.text(config, KEY);
    if (configured.isPresent()) {
      token = configured.get().getBytes(StandardCharsets.UTF_8);
      source = new Source(true, Optional.empty(), false, Optional.empty());
      return;
    }
    Path file = DataDirectory.of(ConfigValues.lookup(config)).resolve(FILE);
    try {
      boolean generated = !Files.exists(file);
      String value = generated ? generate(file) : Files.readString(file, StandardCharsets.UTF_8).strip();
      if (value.isEmpty()) {
        throw new IOException(file + " is empty: delete it to have a new token generated");
      }
      token = value.getBytes(StandardCharsets.UTF_8);
      source = new Source(false, Optional.of(file), generated, Optional.empty());
      LOG.info(() -> (generated ? "no " + KEY + " is set: generated an admin token in " : "no " + KEY + " is set: the admin token is in ")
          + file + " (readable by its owner only); sign in to the console with its content");
    } catch (IOException | RuntimeException e) {
      source = new Source(false, Optional.of(file), false, Optional.of(String.valueOf(e.getMessage())));
      LOG.severe(() -> "the admin API and the softphone are off: no " + KEY + " is set and " + file + " could not be used: "
          + e.getMessage());
    }
  }

  /** 32 random bytes, URL-safe Base64: written to a new file that only its owner may read. */
  private static String generate(Path file) throws IOException {
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    String value = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    Files.createDirectories(file.getParent());
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException notPosix) {
      Files.createFile(file);
    } catch (FileAlreadyExistsException raced) {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    }
    Files.writeString(file, value + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    return value;
  }

  public Check check(String given) {
    if (token == null) {
      return Check.DISABLED;
    }
    if (given == null || !MessageDigest.isEqual(token, given.strip().getBytes(StandardCharsets.UTF_8))) {
      return Check.WRONG;
    }
    return Check.OK;
  }

  public Source source() {
    return source;
  }
}
