package dev.wavoice.media;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.kurento.client.KurentoClient;
import org.kurento.client.MediaPipeline;
import org.kurento.client.Tag;

/**
 * Releases leaked pipelines: those on a KMS that carry this wavoice's instance tag but belong to no open
 * call here (a release that failed, a crash of an earlier run of this instance). Pipelines of other
 * applications or other wavoice instances are never touched.
 */
final class PipelineReconciler {

  private static final Logger LOG = Logger.getLogger(PipelineReconciler.class.getName());

  private final String instanceTag;

  PipelineReconciler(String instanceTag) {
    this.instanceTag = instanceTag;
  }

  /** Returns how many pipelines it released on this KMS. */
  int reconcile(KmsConnection kms, KurentoClient client) {
    List<MediaPipeline> pipelines = client.getServerManager().getPipelines();
    // read after listing: a session registers before it creates its pipeline, so every listed pipeline
    // of an open session is covered here
    Set<String> open = kms.sessions().stream()
        .filter(s -> !s.isClosed())
        .map(s -> s.callId().value())
        .collect(Collectors.toSet());
    return release(kms, pipelines, instanceTag, open::contains);
  }

  /**
   * Releases the pipelines another wavoice instance (a lost cluster member, tagged {@code otherInstance})
   * left on this KMS, except those of calls {@code live} says are still running somewhere.
   */
  static int releaseInstance(KmsConnection kms, KurentoClient client, String otherInstance, Predicate<String> live) {
    return release(kms, client.getServerManager().getPipelines(), otherInstance, live);
  }

  private static int release(KmsConnection kms, List<MediaPipeline> pipelines, String instanceTag, Predicate<String> keep) {
    int released = 0;
    for (MediaPipeline pipeline : pipelines) {
      try {
        List<Tag> tags = pipeline.getTags();
        if (!instanceTag.equals(tag(tags, PipelineTags.INSTANCE))) {
          continue;
        }
        String callId = tag(tags, PipelineTags.CALL_ID);
        if (callId != null && keep.test(callId)) {
          continue;
        }
        pipeline.release();
        released++;
        LOG.warning(() -> "released leaked pipeline " + pipeline.getId() + " of call " + callId + " on " + kms.displayUrl());
      } catch (RuntimeException e) {
        // released meanwhile, or Kurento refused: the next round looks again
        LOG.log(Level.FINE, "could not reconcile pipeline " + pipeline.getId() + " on " + kms.displayUrl(), e);
      }
    }
    return released;
  }

  private static String tag(List<Tag> tags, String key) {
    return tags.stream().filter(t -> key.equals(t.getKey())).map(Tag::getValue).findFirst().orElse(null);
  }
}
