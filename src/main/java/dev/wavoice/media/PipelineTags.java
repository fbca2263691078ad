package dev.wavoice.media;

/**
 * The tags every wavoice pipeline carries on Kurento: which call it serves and which wavoice instance
 * made it. Leak reconciliation and operators' tools find wavoice's pipelines by them.
 */
public final class PipelineTags {

  /** The call's id. */
  public static final String CALL_ID = "wavoice.call-id";
  /** The instance that made the pipeline ({@code wavoice.kurento.instance-tag}). */
  public static final String INSTANCE = "wavoice.instance";

  private PipelineTags() {}
}
