package dev.wavoice.ops;

import dev.wavoice.ConfigValues;
import dev.wavoice.RequiredSettings;
import dev.wavoice.call.CallRecordStore;
import dev.wavoice.media.KmsStatus;
import dev.wavoice.media.KurentoLifecycle;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;

/**
 * What stands between this wavoice and its first call, in words an operator acts on: the settings that
 * are missing (by name), a Kurento that is not reachable (with the command that starts it), a database
 * that does not answer. The start-up summary logs it, the console shows it ({@code GET /api/status}).
 */
@ApplicationScoped
public class ReadinessFacts {

  /** The one command that starts Kurento next to wavoice (the compose file's {@code kms} service). */
  public static final String START_KURENTO = "docker compose up -d kms";

  /** One thing that is not ready: what, what to do, and the page of the docs that explains it. */
  public record Fact(String check, String what, String fix, String docs) {}

  /** A readiness check by name: {@code UP} or {@code DOWN}. */
  public record Check(String name, String status) {}

  /** Ready for calls when nothing stands in the way; {@code missing} names the settings that are not set. */
  public record Status(boolean ready, List<Check> checks, List<String> missing, List<Fact> notReady) {}

  private Instance<RequiredSettings> required;
  private KurentoLifecycle kurento;
  private CallRecordStore store;

  protected ReadinessFacts() {}

  @Inject
  public ReadinessFacts(@Any Instance<RequiredSettings> required, KurentoLifecycle kurento, CallRecordStore store) {
    this.required = required;
    this.kurento = kurento;
    this.store = store;
  }

  public Status now() {
    List<Fact> facts = new ArrayList<>();
    List<String> missing = RequiredSettings.missingIn(required);
    if (!missing.isEmpty()) {
      facts.add(new Fact("config", "settings missing for calls: " + String.join(", ", missing),
          "set them as environment variables (" + String.join(", ", missing.stream().map(ConfigValues::envName).toList())
              + ") or in MicroProfile Config, then restart",
          "docs/configuration.md"));
    }
    if (kurento.configProblem() != null) {
      facts.add(new Fact("kurento", "the Kurento settings are invalid: " + kurento.configProblem(),
          "correct wavoice.kurento.* and restart", "docs/configuration.md"));
    } else if (kurento.status().stream().noneMatch(KmsStatus::connected)) {
      facts.add(new Fact("kurento", "Kurento Media Server is not reachable ("
          + String.join(", ", kurento.status().stream().map(KmsStatus::url).toList()) + ")",
          "start it with `" + START_KURENTO + "` (wavoice keeps retrying)", "docs/operations.md"));
    }
    java.util.Optional<String> databaseProblem = store.databaseProblem();
    boolean database = databaseProblem.isEmpty();
    databaseProblem.ifPresent(problem -> facts.add(new Fact("database", "call records: " + problem
            + " (calls are still answered; their records are written when the database takes them)",
        "check the database and wavoice.db.url (or wavoice.data-dir for the embedded database)", "docs/operations.md")));
    boolean kurentoUp = facts.stream().noneMatch(f -> f.check().equals("kurento"));
    List<Check> checks = List.of(new Check("config", missing.isEmpty() ? "UP" : "DOWN"),
        new Check("database", database ? "UP" : "DOWN"), new Check("kurento", kurentoUp ? "UP" : "DOWN"));
    return new Status(facts.isEmpty(), checks, List.copyOf(missing), List.copyOf(facts));
  }
}
