package dev.wavoice.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.wavoice.AppExecutors;
import dev.wavoice.CallId;
import dev.wavoice.RegisteredMetrics;
import dev.wavoice.call.CallRecordStore;
import dev.wavoice.media.KurentoLifecycle;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.eclipse.microprofile.metrics.Metadata;

/**
 * When a member leaves the grid (a crash, a kill, a network split), the oldest surviving member closes
 * the call records the lost member left in progress with end reason {@code INTERRUPTED} and releases
 * its pipelines on Kurento, found by its instance tag (each member writes its tag into the grid when it
 * joins). Calls a member of the grid still holds are left alone, so a lost member that restarted at
 * once with the same tag keeps its new calls. A member that leaves in an orderly way has ended its calls
 * already, and finds nothing to close.
 */
@ApplicationScoped
public class MemberLoss {

  static final String DETAIL = "the wavoice instance holding the call left the cluster (crash or kill); closed by a surviving member";
  private static final Logger LOG = Logger.getLogger(MemberLoss.class.getName());

  @Resource(lookup = AppExecutors.WORK) private ManagedExecutorService executor;

  private Grid grid;
  private LiveCalls live;
  private CallRecordStore records;
  private KurentoLifecycle kurento;
  private RegisteredMetrics metrics;
  private UUID listener;

  protected MemberLoss() {}

  @Inject
  public MemberLoss(Grid grid, LiveCalls live, CallRecordStore records, KurentoLifecycle kurento, RegisteredMetrics metrics) {
    this.grid = grid;
    this.live = live;
    this.records = records;
    this.kurento = kurento;
    this.metrics = metrics;
  }

  void onStart(@Observes @Initialized(ApplicationScoped.class) Object started) {
    grid.hazelcast().ifPresent(hz -> {
      members(hz).set(grid.localMember(), records.instance());
      listener = hz.getCluster().addMembershipListener(new MembershipListener() {
        @Override
        public void memberAdded(MembershipEvent event) {
          // a member that joins announces its own tag
        }

        @Override
        public void memberRemoved(MembershipEvent event) {
          String lost = event.getMember().getUuid().toString();
          try {
            executor.execute(() -> recover(hz, lost));
          } catch (RejectedExecutionException e) {
            LOG.warning(() -> "member " + lost + " left the cluster while this member is stopping; its calls are left to the others");
          }
        }
      });
    });
  }

  @PreDestroy
  void stop() {
    grid.hazelcast().ifPresent(hz -> {
      try {
        hz.getCluster().removeMembershipListener(listener);
      } catch (RuntimeException e) {
        LOG.log(Level.FINE, "the grid is gone already", e);
      }
    });
  }

  private static IMap<String, String> members(HazelcastInstance hz) {
    return hz.getMap(GridMessages.MEMBERS);
  }

  /** Closes what the lost member left, when this member is the oldest survivor (exactly one member acts). */
  void recover(HazelcastInstance hz, String lost) {
    Set<Member> now = hz.getCluster().getMembers();
    if (now.isEmpty() || !now.iterator().next().localMember()) {
      return;
    }
    Set<String> memberIds = now.stream().map(m -> m.getUuid().toString()).collect(Collectors.toSet());
    String tag = members(hz).remove(lost);
    List<String> held = live.forgetMember(lost);
    if (tag == null) {
      LOG.warning(() -> "member " + lost + " left the cluster without a known instance tag; its records and pipelines are left to its restart");
      return;
    }
    if (tag.equals(records.instance())) {
      LOG.severe(() -> "member " + lost + " had this member's instance tag " + tag + "; nothing is closed: give every member its own "
          + "wavoice.kurento.instance-tag");
      return;
    }
    int closed = 0;
    try {
      for (CallId id : records.inProgressOf(tag)) {
        if (live.heldByAMember(id.value(), memberIds)) {
          continue; // the lost member restarted under the same tag and holds this call now
        }
        records.update(id, r -> r.interrupted(DETAIL));
        closed++;
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "closing the records of lost member " + lost + " (" + tag + ") failed; its restart closes them", e);
    }
    if (closed > 0) {
      // the counter the members' own start-up sweep counts with
      metrics.counter(Metadata.builder().withName("wavoice_calls_interrupted")
          .withDescription("calls whose record was closed as interrupted after wavoice died mid-call").build()).inc(closed);
    }
    int released = kurento.releasePipelinesOf(tag, callId -> live.heldByAMember(callId, memberIds));
    int closedCalls = closed;
    LOG.warning(() -> "member " + lost + " (" + tag + ") left the cluster holding " + held.size() + " calls: " + closedCalls
        + " records closed as INTERRUPTED, " + released + " pipelines released");
  }
}
