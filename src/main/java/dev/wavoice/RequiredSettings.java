package dev.wavoice;

import java.util.List;

/**
 * A part of wavoice that needs some configuration keys before it can do its job. Readiness asks every
 * implementation which of its keys are missing and names them, so an operator sees what to set.
 */
public interface RequiredSettings {

  /** The MicroProfile Config keys (e.g. {@code wavoice.whatsapp.app-secret}) that are required but not set. */
  List<String> missingKeys();
}
