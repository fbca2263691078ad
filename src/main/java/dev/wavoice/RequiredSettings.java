package dev.wavoice;

import java.util.ArrayList;
import java.util.List;

/**
 * A part of wavoice that needs some configuration keys before it can do its job. Readiness asks every
 * implementation which of its keys are missing and names them, so an operator sees what to set.
 */
public interface RequiredSettings {

  /** The MicroProfile Config keys (e.g. {@code wavoice.whatsapp.app-secret}) that are required but not set. */
  List<String> missingKeys();

  /** Every part's missing keys, in the parts' order. */
  static List<String> missingIn(Iterable<? extends RequiredSettings> parts) {
    List<String> missing = new ArrayList<>();
    parts.forEach(part -> missing.addAll(part.missingKeys()));
    return missing;
  }
}
