package dev.wavoice.realtime;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;

/** Makes the application's one {@link RealtimeClient} from the configuration, and closes it on shutdown. */
@ApplicationScoped
public class RealtimeClientProducer {

  private RealtimeConfig config;
  private Jsonb jsonb;
  private volatile RealtimeClient client;

  protected RealtimeClientProducer() {}

  @Inject
  public RealtimeClientProducer(RealtimeConfig config, Jsonb jsonb) {
    this.config = config;
    this.jsonb = jsonb;
  }

  @Produces
  @Dependent
  RealtimeClient realtimeClient() {
    RealtimeClient current = client;
    if (current == null) {
      synchronized (this) {
        if (client == null) {
          client = new RealtimeClient(config::settings, jsonb);
        }
        current = client;
      }
    }
    return current;
  }

  @PreDestroy
  void close() {
    RealtimeClient current = client;
    if (current != null) {
      current.close();
    }
  }
}
