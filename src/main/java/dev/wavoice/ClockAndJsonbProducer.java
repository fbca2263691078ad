package dev.wavoice;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.json.bind.Jsonb;
import java.time.Clock;

/** Produces the few shared, stateless platform objects: the wall clock and the wire-format JSON-B. */
@ApplicationScoped
public class ClockAndJsonbProducer {

  @Produces
  @Dependent
  Clock clock() {
    return Clock.systemUTC();
  }

  @Produces
  @ApplicationScoped
  Jsonb jsonb() {
    return WireJson.create();
  }

  void close(@Disposes Jsonb jsonb) throws Exception {
    jsonb.close();
  }
}
